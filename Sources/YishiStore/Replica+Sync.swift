import Foundation
import GRDB
import YishiMerge

/// What sync needs of a replica beyond edits and queries.
extension Replica {
    /// Makes this replica the central node's: from now on it logs every new op's arrival,
    /// so stations can pull what arrived after their cursor, and writes each community's
    /// edits under an origin of its own (`central.HL3`).
    public func keepArrivalLog() throws {
        try pool.write { db in
            try Self.setMeta(db, "logs_arrivals", "1")
            try Self.setMeta(db, "per_scope_origins", "1")
        }
    }

    /// Writes each community's edits under an origin of its own (`<replica>.HL3`), as the
    /// central does, without logging arrivals: a central process's view of a shared
    /// database, whose arrival order the database keeps.
    public func writeEachCommunityUnderItsOwnOrigin() throws {
        try pool.write { db in try Self.setMeta(db, "per_scope_origins", "1") }
    }

    /// The origins this replica wrote under, one per community (`<replica>.HL3`), each with
    /// the number of its newest op here.
    public func ownCommunityOrigins() throws -> [ReplicaID: UInt64] {
        let prefix = replica.rawValue + "."
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT replica, max(counter) FROM scope_clock WHERE substr(replica, 1, ?) = ? GROUP BY replica",
                             arguments: [prefix.count, prefix])
        }
        return rows.reduce(into: [:]) { origins, row in
            if let origin = ReplicaID(rawValue: row[0] as String) { origins[origin] = UInt64(row[1] as Int64) }
        }
    }

    /// How many of `origin`'s ops this replica holds without a gap (its clock's entry).
    public func counter(of origin: ReplicaID) throws -> UInt64 {
        try pool.read { db in
            UInt64(try Int64.fetchOne(db, sql: "SELECT max(counter) FROM scope_clock WHERE replica = ?", arguments: [origin.rawValue]) ?? 0)
        }
    }

    /// A number stored with the replica. Sync keeps its pull cursor and the sequence of its
    /// signed requests here.
    public func number(_ key: String) throws -> UInt64 {
        try pool.read { db in try Self.metaNumber(db, "n:" + key) }
    }

    /// A line of text stored with the replica (why the last sync failed), nil if none.
    public func note(_ key: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: ["t:" + key]) }
    }

    /// Every note whose key begins with `prefix`, by key.
    public func notes(prefix: String) throws -> [(key: String, value: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT substr(key, 3), value FROM meta WHERE key >= ? AND key < ? ORDER BY key",
                             arguments: ["t:" + prefix, "t:" + prefix + "\u{10FFFF}"]).map { ($0[0], $0[1]) }
        }
    }

    /// Stores a line of text, or removes it (nil).
    public func setNote(_ key: String, _ text: String?) throws {
        try pool.write { db in
            if let text {
                try Self.setMeta(db, "t:" + key, text)
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: ["t:" + key])
            }
        }
    }

    /// Raises a stored number to at least `value` (a replacement box's request sequence
    /// starts above the one its first request used).
    public func setNumber(_ key: String, atLeast value: UInt64) throws {
        try pool.write { db in
            if try Self.metaNumber(db, "n:" + key) < value { try Self.setMeta(db, "n:" + key, String(value)) }
        }
    }

    /// Increments and returns a stored number, safely across processes.
    public func nextNumber(_ key: String) throws -> UInt64 {
        try pool.write { db in
            let next = try Self.metaNumber(db, "n:" + key) + 1
            try Self.setMeta(db, "n:" + key, String(next))
            return next
        }
    }

    /// Applies ops and sets stored numbers in the same transaction: a pull's cursor moves
    /// exactly when the ops it covers are in.
    @discardableResult
    public func receive(_ ops: [Op], setting numbers: [String: UInt64]) throws -> ReceiveReport {
        try write { context in
            context.applier.originRules?.streetFields = false
            try context.receive(ops)
            for (key, value) in numbers { try Self.setMeta(context.applier.db, "n:" + key, String(value)) }
            return ReceiveReport(applied: context.applier.tally.applied, held: context.applier.waiting,
                                 duplicates: context.applier.tally.duplicates)
        }
    }

    /// Journal lines of ops that arrived after `cursor` in any of `scopes`, not made by
    /// `excluding` (a station has its own), oldest first; and the cursor after them.
    public func arrivals(after cursor: UInt64, scopes: [String], excluding: ReplicaID?, limit: Int)
        throws -> (lines: [String], dots: [Dot], cursor: UInt64, more: Bool)
    {
        let placeholders = scopes.map { _ in "?" }.joined(separator: ",")
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.seq, a.replica, o.journal_offset, o.journal_length, a.counter FROM arrival a
                JOIN op o ON o.replica = a.replica AND o.counter = a.counter
                WHERE a.seq > ? AND a.scope IN (\(placeholders)) ORDER BY a.seq LIMIT ?
                """, arguments: StatementArguments([Int64(cursor)] + scopes + [limit + 1]))
        }
        let more = rows.count > limit
        let taken = rows.prefix(limit).filter { $0[1] as String != excluding?.rawValue }
        let lines = try journal.lines(at: taken.map { (UInt64($0[2] as Int64), $0[3] as Int) })
        let last = rows.prefix(limit).last.map { UInt64($0[0] as Int64) } ?? cursor
        let dots = taken.map { Dot(replica: ReplicaID(rawValue: $0[1])!, counter: UInt64($0[4] as Int64)) }
        return (lines, dots, last, more)
    }

    /// One op of the central's arrival log, as a migration copies it.
    public struct Arrival: Sendable {
        public var seq: UInt64
        public var scope: String
        public var origin: String
        public var counter: UInt64
        public var line: String
        /// Its head in its origin's chain (nil for an op after a gap).
        public var chain: [UInt8]?
    }

    /// Up to `limit` entries of the arrival log after `seq`, in every community, oldest
    /// first, with their numbers: what moving a central elsewhere must keep, since every
    /// station's cursor is one of these numbers.
    public func arrivalLog(after seq: UInt64, limit: Int) throws -> [Arrival] {
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.seq, a.scope, a.replica, a.counter, o.journal_offset, o.journal_length, o.chain FROM arrival a
                JOIN op o ON o.replica = a.replica AND o.counter = a.counter
                WHERE a.seq > ? ORDER BY a.seq LIMIT ?
                """, arguments: [Int64(seq), limit])
        }
        let lines = try journal.lines(at: rows.map { (UInt64($0[4] as Int64), $0[5] as Int) })
        return zip(rows, lines).map { row, line in
            Arrival(seq: UInt64(row[0] as Int64), scope: row[1], origin: row[2], counter: UInt64(row[3] as Int64), line: line,
                    chain: (row[6] as Data?).map(Array.init))
        }
    }

    /// How many entries the arrival log holds.
    public func arrivalLogCount() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM arrival") ?? 0 }
    }

    /// How many arrivals in `scopes` come after `cursor` (read from the index alone).
    public func arrivalCount(after cursor: UInt64, scopes: [String]) throws -> UInt64 {
        let placeholders = scopes.map { _ in "?" }.joined(separator: ",")
        return try pool.read { db in
            UInt64(try Int64.fetchOne(db, sql: "SELECT count(*) FROM arrival WHERE scope IN (\(placeholders)) AND seq > ?",
                                      arguments: StatementArguments(scopes + [Int64(cursor)])) ?? 0)
        }
    }

    /// The digest of one community's records: what a station of that community and the
    /// central node's view of it must agree on.
    public func digest(scope: String) throws -> String {
        try pool.read { db in
            var digest = DigestHasher()
            func feed(_ line: String) { digest.feed(line) }
            var clock = VersionVector()
            for row in try Row.fetchAll(db, sql: "SELECT replica, counter FROM scope_clock WHERE scope = ?", arguments: [scope]) {
                clock[ReplicaID(rawValue: row[0])!] = UInt64(row[1] as Int64)
            }
            feed(Canonical.clockLine(clock))
            for field in try Row.fetchAll(db, sql: "SELECT record, field FROM field WHERE scope = ? ORDER BY record, field", arguments: [scope]) {
                let record: String = field[0]
                let name: String = field[1]
                if let state = try ValueRows.fieldState(db, record: record, field: name) {
                    for line in Canonical.fieldLines(FieldKey(record: record, field: name), state) { feed(line) }
                }
            }
            return digest.hex()
        }
    }
}

extension Replica {
    /// How many ops arrived after `cursor` in `scope`, not made by `excluding`: a
    /// station's lag behind the central.
    public func arrivalCount(after cursor: UInt64, scope: String, excluding: ReplicaID?) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM arrival WHERE seq > ? AND scope = ? AND replica != ?",
                             arguments: [Int64(cursor), scope, excluding?.rawValue ?? ""]) ?? 0
        }
    }
}
