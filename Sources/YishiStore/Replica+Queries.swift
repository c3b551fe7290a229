import Foundation
import GRDB
import YishiMerge

extension Replica {
    /// The version vector: how many ops of each replica are applied here.
    public func clock() throws -> VersionVector {
        try pool.read { db in try OpApplier.versionVector(db) }
    }

    /// Ops received but waiting for ops they depend on.
    public func heldCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM held") ?? 0 }
    }

    public func fieldState(record: String, field: String) throws -> FieldState? {
        try pool.read { db in try ValueRows.fieldState(db, record: record, field: field) }
    }

    /// Every field of a record, by field name.
    public func fields(ofRecord record: String) throws -> [String: FieldState] {
        try pool.read { db in try ValueRows.fieldStates(db, records: [record])[record] ?? [:] }
    }

    /// The merged state of every field of many records, read with a few queries for all
    /// of them (a few hundred records at a time) instead of a few per field; only the
    /// fields named in `only`, when given.
    public func fields(ofRecords records: [String], only: [String]? = nil) throws -> [String: [String: FieldState]] {
        try pool.read { db in try ValueRows.fieldStates(db, records: records, only: only) }
    }

    /// Record ids, optionally of one type (`topic`) and one community's scope, in byte order.
    public func records(ofType type: String? = nil, scope: String? = nil) throws -> [String] {
        try pool.read { db in
            if let type, let scope {
                var records: [String] = []
                try RawStatement(db, "SELECT DISTINCT record FROM field INDEXED BY field_by_scope WHERE scope = ? AND record >= ? AND record < ? ORDER BY record")
                    .query(.text(scope), .text(type + "/"), .text(type + "0")) { row in records.append(row.text(0) ?? "") }
                return records
            }
            if let type {
                // Through the C API: a list of ten thousand topics reads this on every page.
                var records: [String] = []
                try RawStatement(db, "SELECT DISTINCT record FROM field WHERE record >= ? AND record < ? ORDER BY record")
                    .query(.text(type + "/"), .text(type + "0")) { row in records.append(row.text(0) ?? "") }
                return records
            }
            return try String.fetchAll(db, sql: "SELECT DISTINCT record FROM field ORDER BY record")
        }
    }

    /// Every open conflict, computed by the merge module from the stored values.
    public func conflicts() throws -> [Conflict] {
        try pool.read { db in
            let fields = try Row.fetchAll(db, sql: "SELECT DISTINCT record, field FROM conflict ORDER BY record, field")
            return try fields.flatMap { row -> [Conflict] in
                let record: String = row[0]
                let field: String = row[1]
                return try ValueRows.fieldState(db, record: record, field: field)?.conflicts(record: record, field: field) ?? []
            }
        }
    }

    /// SHA-256 of the canonical lines of the merged state (see `YishiMerge.Canonical`):
    /// equal on any two replicas that applied the same ops, whatever the order.
    /// `progress` hears of it every 4,096 fields (a central's digest reads every value).
    public func digest(progress: ProgressReport? = nil) throws -> String {
        try pool.read { db in try Self.digest(db, progress: progress) }
    }

    /// The digest as `db` sees it: inside a read transaction, of exactly that snapshot
    /// (a backup takes its copy and its digest from the same one).
    static func digest(_ db: Database, progress: ProgressReport? = nil) throws -> String {
        var digest = DigestHasher()
        let fields = progress == nil ? 0 : try Int64.fetchOne(db, sql: "SELECT count(*) FROM field") ?? 0
        var done: Int64 = 0
        func feed(_ line: String) { digest.feed(line) }
        feed(Canonical.clockLine(try OpApplier.versionVector(db)))
        // Three cursors in the same (record, field) order, merged: one pass, no per-field queries.
        let values = try RawStatement(db, "SELECT \(ValueRows.columns), record, field, key FROM value ORDER BY record, field, key, replica, counter, idx").cursor()
        let nodes = try RawStatement(db, "SELECT replica, counter, idx, parent, lamport, record, field FROM segment ORDER BY record, field, replica, counter, idx").cursor()
        var moreValues = try values.step()
        var moreNodes = try nodes.step()
        try RawStatement(db, "SELECT record, field, kind FROM field ORDER BY record, field").query { field in
            if let progress, done % 4_096 == 0 { try progress(WorkProgress("计算摘要", done: done, total: fields, unit: .fields)) }
            done += 1
            let record = field.text(0) ?? "", name = field.text(1) ?? ""
            feed(Canonical.fieldLine(FieldKey(record: record, field: name), FieldKind(rawValue: field.text(2) ?? "")!))
            while moreValues, values.row.text(9) == record, values.row.text(10) == name {
                feed(Canonical.valueLine(key: values.row.text(11) ?? "", ValueRows.value(values.row)))
                moreValues = try values.step()
            }
            while moreNodes, nodes.row.text(5) == record, nodes.row.text(6) == name {
                feed(Canonical.nodeLine(ValueRows.node(nodes.row)))
                moreNodes = try nodes.step()
            }
        }
        try progress?(WorkProgress("计算摘要", done: done, total: fields, unit: .fields))
        return digest.hex()
    }

    /// Journal lines of the ops this replica has (applied or held) that a replica at
    /// `known` lacks, in causal order (Lamport time respects causality).
    public func opLines(lacking known: VersionVector = VersionVector(), progress: ProgressReport? = nil) throws -> [String] {
        try opLinesAndDots(lacking: known, progress: progress).lines
    }

    /// `opLines` with each line's dot.
    func opLinesAndDots(lacking known: VersionVector, progress: ProgressReport?) throws -> (lines: [String], dots: [Dot]) {
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT replica, counter, journal_offset, journal_length FROM op ORDER BY lamport, replica, counter")
        }
        let wanted = rows.filter { row in
            known[ReplicaID(rawValue: row[0])!] < UInt64(row[1] as Int64)
        }
        guard !wanted.isEmpty else { return ([], []) }
        let bytes = try journal.read(from: 0)
        let total = Int64(wanted.count)
        let lines = try wanted.enumerated().map { index, row in
            if index % 4_096 == 0 { try progress?(WorkProgress("读取修改", done: Int64(index), total: total)) }
            let offset = Int(row[2] as Int64)
            return String(decoding: bytes[offset..<(offset + Int(row[3] as Int64))], as: UTF8.self)
        }
        return (lines, wanted.map { Dot(replica: ReplicaID(rawValue: $0[0])!, counter: UInt64($0[1] as Int64)) })
    }

    /// This replica's own ops that the central has not acknowledged, oldest first.
    public func outbox(limit: Int = .max) throws -> [String] {
        try outbox(of: replica, limit: limit)
    }

    private func outbox(of origin: ReplicaID, limit: Int) throws -> [String] {
        try outbox(of: origin, after: nil, limit: limit).lines
    }

    /// `origin`'s ops after counter `after`, oldest first, with their counters: what a
    /// central process sends on to the shared database of the office's writes.
    public func ops(of origin: ReplicaID, after counter: UInt64, limit: Int) throws -> (lines: [String], counters: [UInt64]) {
        try outbox(of: origin, after: counter, limit: limit)
    }

    /// `origin`'s ops after counter `after` (after what the central acknowledged when nil),
    /// oldest first, with their counters.
    private func outbox(of origin: ReplicaID, after: UInt64?, limit: Int) throws -> (lines: [String], counters: [UInt64]) {
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT journal_offset, journal_length, counter FROM op
                WHERE replica = ? AND counter > COALESCE(?, (SELECT counter FROM acknowledged WHERE replica = ?), 0)
                ORDER BY counter LIMIT ?
                """, arguments: [origin.rawValue, after.map { Int64($0) }, origin.rawValue, limit])
        }
        let lines = try journal.lines(at: rows.map { (UInt64($0[0] as Int64), $0[1] as Int) })
        return (lines, rows.map { UInt64($0[2] as Int64) })
    }

    /// The next ops to push, all of one origin (a push's receipt acknowledges one counter):
    /// first those of a former box of this station that the central lacks (recovered from its
    /// disk, see `handOn`), then this replica's own. With `after`, the ops that follow a
    /// batch not yet acknowledged: sync prepares the next batch while one is on its way.
    public func nextPush(limit: Int, after sent: (origin: ReplicaID, counter: UInt64)? = nil)
        throws -> (origin: ReplicaID, lines: [String], counters: [UInt64])?
    {
        var origins = try formerOrigins() + [replica]
        if let sent, let index = origins.firstIndex(of: sent.origin) { origins.removeFirst(index) }
        for origin in origins {
            let found = try outbox(of: origin, after: origin == sent?.origin ? sent?.counter : nil, limit: limit)
            if !found.lines.isEmpty { return (origin, found.lines, found.counters) }
        }
        return nil
    }

    /// How many ops this box must still push (a count, so `yishi status` need not read
    /// weeks of queued ops from the journal).
    public func outboxCount() throws -> Int {
        // Own ops are numbered 1, 2, 3… with no gaps, so their count is a subtraction (every
        // page's sync banner asks; counting rows grew with the replica). A former box's
        // recovered ops are few, and counted.
        try pool.read { db in
            let own = try Int.fetchOne(db, sql: "SELECT max(counter) FROM op WHERE replica = ?", arguments: [replica.rawValue]) ?? 0
            let acknowledged = try Int.fetchOne(db, sql: "SELECT counter FROM acknowledged WHERE replica = ?", arguments: [replica.rawValue]) ?? 0
            let former = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM op o JOIN acknowledged a ON a.replica = o.replica
                WHERE a.replica <> ? AND o.counter > a.counter
                """, arguments: [replica.rawValue]) ?? 0
            return max(0, own - acknowledged) + former
        }
    }

    /// Records that the central holds `origin`'s ops (this replica's when nil) up to `counter`.
    public func acknowledge(upTo counter: UInt64, of origin: ReplicaID? = nil) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO acknowledged (replica, counter) VALUES (?, ?)
                ON CONFLICT (replica) DO UPDATE SET counter = max(counter, excluded.counter)
                """, arguments: [(origin ?? replica).rawValue, Int64(counter)])
        }
    }

    /// How far the central has acknowledged this replica's own ops.
    public func acknowledged() throws -> UInt64 {
        try pool.read { db in
            UInt64(try Int64.fetchOne(db, sql: "SELECT counter FROM acknowledged WHERE replica = ?", arguments: [replica.rawValue]) ?? 0)
        }
    }

    /// The central holds fewer of this replica's ops than it once acknowledged: it was
    /// restored from a backup. What it lost is pushed again.
    public func centralHolds(_ counter: UInt64) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE acknowledged SET counter = ? WHERE replica = ? AND counter > ?",
                           arguments: [Int64(counter), replica.rawValue, Int64(counter)])
        }
    }

    /// This station's former boxes: a replacement box hands on their ops the central lacks.
    /// They are the origins, other than this replica, with an acknowledged row (`handOn`).
    func formerOrigins() throws -> [ReplicaID] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT replica FROM acknowledged WHERE replica <> ? ORDER BY replica", arguments: [replica.rawValue])
                .compactMap(ReplicaID.init(rawValue:))
        }
    }

    /// Makes this box responsible for pushing a former box's ops beyond `have` (what the
    /// central holds of them): ops recovered from the old disk (`yishi import`) then go up.
    public func handOn(_ origin: ReplicaID, have: UInt64) throws {
        guard origin != replica else { return }
        try acknowledge(upTo: have, of: origin)
    }
}

extension Replica {
    /// The shown value of some single-valued fields (registers, statuses) of every record
    /// of a type — or of just `records` — in one read each: what a list of ten thousand
    /// topics needs. A field with one value shows it; where concurrent values remain, the
    /// same `Resolution` as a single record's page decides. `kinds` says how each field merges.
    public func shownValues(ofType type: String, fields kinds: [String: FieldKind], records: [String]? = nil) throws -> [String: [String: String]] {
        try pool.read { db in
            var result: [String: [String: String]] = [:]
            for (field, kind) in kinds {
                // Most fields hold one value, shown as it is. A field with several (a conflict
                // waiting) is read again whole, and the same Resolution as a record page decides.
                var several = Set<String>()
                var previous = ""
                func read(_ row: RawStatement.Row) {
                    let record = row.text(0) ?? ""
                    if record == previous { several.insert(record) }
                    previous = record
                    if let content = row.text(1) { result[record, default: [:]][field] = content }
                }
                if let records {
                    // A page's records, looked up by key, a few hundred at a time.
                    for (marks, values) in RawStatement.inLists(records) {
                        try RawStatement(db, "SELECT record, content FROM value WHERE field = ? AND key = '' AND record IN (\(marks)) ORDER BY record")
                            .query([.text(field)] + values, row: read)
                    }
                } else {
                    try RawStatement(db, "SELECT record, content FROM value WHERE record >= ? AND record < ? AND field = ? AND key = '' ORDER BY record")
                        .query(.text(type + "/"), .text(type + "0"), .text(field), row: read)
                }
                for record in several {
                    let values = try ValueRows.fetch(db, record: record, field: field, key: "")
                    result[record, default: [:]][field] = Resolution.of(kind, values).shown?.content
                }
            }
            return result
        }
    }

    /// The communities whose records this replica holds (at the central: every one).
    public func scopes() throws -> [String] {
        // Every record's ops were applied in its scope, so the clock names every scope, in
        // a few hundred rows where the field table has millions at the central.
        try pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT scope FROM scope_clock ORDER BY scope") }
    }

    /// A number per community that grows with every op applied in it (the sum of its
    /// clock): figures computed at one version hold exactly as long as it is unchanged.
    public func scopeVersions() throws -> [String: Int64] {
        try pool.read { db in
            var versions: [String: Int64] = [:]
            try RawStatement(db, "SELECT scope, sum(counter) FROM scope_clock GROUP BY scope").query { row in
                versions[row.text(0) ?? ""] = row.integer(1)
            }
            return versions
        }
    }

    /// One community's version (see `scopeVersions`), for a page that caches what it shows.
    public func scopeVersion(_ scope: String) throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT sum(counter) FROM scope_clock WHERE scope = ?", arguments: [scope]) ?? 0 }
    }

    /// The community each of `records` belongs to (the scope of its fields).
    public func scopes(ofRecords records: [String]) throws -> [String: String] {
        guard !records.isEmpty else { return [:] }
        return try pool.read { db in try Self.scopes(db, ofRecords: records) }
    }

    static func scopes(_ db: Database, ofRecords records: [String]) throws -> [String: String] {
        var scopes: [String: String] = [:]
        for (marks, values) in RawStatement.inLists(records) {
            try RawStatement(db, "SELECT record, scope FROM field WHERE record IN (\(marks)) GROUP BY record")
                .query(values) { row in scopes[row.text(0) ?? ""] = row.text(1) ?? "" }
        }
        return scopes
    }

    /// How many conflicts wait in each community. CROSS JOIN keeps SQLite to the join
    /// order that reads the few conflicts, not the millions of fields at the central.
    public func conflictCountsByScope() throws -> [String: Int] {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT f.scope, count(*) FROM conflict c CROSS JOIN field f ON f.record = c.record AND f.field = c.field GROUP BY f.scope
                """) {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    /// How many keys of each record of a type have a conflict waiting.
    public func conflictCounts(ofType type: String) throws -> [String: Int] {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT record, count(*) FROM conflict WHERE record >= ? AND record < ? GROUP BY record",
                                        arguments: [type + "/", type + "0"]) {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }
}
