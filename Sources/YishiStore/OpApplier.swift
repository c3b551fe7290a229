import Foundation
import Crypto
import GRDB
import YishiMerge

/// Applies ops to the SQLite replica inside one write transaction, with the same rule as
/// `YishiMerge.ReplicaState`: causal delivery, held ops, supersession by context.
///
/// Clock and Lamport time are kept in memory for the transaction and written once at the
/// end, which is what makes applying a large batch cheap.
struct OpApplier {
    let db: Database
    private(set) var clock: VersionVector
    private var scopeClocks: [String: VersionVector] = [:]
    private var changedScopes: Set<String> = []
    private(set) var lamport: UInt64
    private var fieldKinds: [FieldKey: FieldKind] = [:]
    private var heldCount: Int
    /// Ops held for missing dependencies, now.
    var waiting: Int { heldCount }
    private var changedReplicas: Set<ReplicaID> = []

    struct Tally: Sendable, Equatable {
        var applied = 0
        var duplicates = 0
    }

    private(set) var tally = Tally()

    init(db: Database) throws {
        self.db = db
        var clock = VersionVector()
        for row in try Row.fetchAll(db, sql: "SELECT replica, counter FROM clock") {
            clock[ReplicaID(rawValue: row[0])!] = UInt64(row[1] as Int64)
        }
        self.clock = clock
        lamport = UInt64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lamport'").flatMap { UInt64($0) } ?? 0)
        heldCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM held") ?? 0
    }

    mutating func scopeClock(_ scope: String) throws -> VersionVector {
        if let known = scopeClocks[scope] { return known }
        var vector = VersionVector()
        for row in try Row.fetchAll(db, sql: "SELECT replica, counter FROM scope_clock WHERE scope = ?", arguments: [scope]) {
            vector[ReplicaID(rawValue: row[0])!] = UInt64(row[1] as Int64)
        }
        scopeClocks[scope] = vector
        return vector
    }

    /// Records and (if its dependencies are met) applies one op whose canonical line sits
    /// in the journal at `offset`. Returns false for an op already here. Throws, leaving
    /// the transaction to be rolled back, when the op reuses a dot with other content or
    /// cannot merge.
    @discardableResult
    mutating func receive(_ op: Op, line: String, offset: UInt64, length: Int? = nil) throws -> Bool {
        let bytes = Array(line.utf8)
        let hash = Data(SHA256Hex.hash(bytes))
        let known = try Data.fetchOne(
            db.cachedStatement(sql: "SELECT hash FROM op WHERE replica = ? AND counter = ?"),
            arguments: [op.dot.replica.rawValue, Int64(op.dot.counter)])
        if let known {
            guard known == hash else { throw MergeError.dotReused(op.dot) }
            tally.duplicates += 1
            return false
        }
        let ready = isReady(op)
        try db.cachedStatement(sql: """
            INSERT INTO op (replica, counter, lamport, scope, record, field, hash, journal_offset, journal_length, applied)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                op.dot.replica.rawValue, Int64(op.dot.counter), Int64(op.lamport), op.scope, op.record, op.field,
                hash, Int64(offset), length ?? bytes.count, ready,
            ])
        if ready {
            try apply(op)
            tally.applied += 1
            if heldCount > 0 { try releaseHeld() }
        } else {
            try db.cachedStatement(sql: "INSERT INTO held (replica, counter, line) VALUES (?, ?, ?)")
                .execute(arguments: [op.dot.replica.rawValue, Int64(op.dot.counter), line])
            heldCount += 1
        }
        return true
    }

    private func isReady(_ op: Op) -> Bool {
        clock[op.dot.replica] == op.dot.counter - 1 && op.deps.isCovered(by: clock)
    }

    private mutating func releaseHeld() throws {
        var progress = true
        while progress && heldCount > 0 {
            progress = false
            let rows = try Row.fetchAll(db, sql: "SELECT line FROM held ORDER BY replica, counter")
            for row in rows {
                let op = try OpCodec.decode(Array((row[0] as String).utf8))
                guard isReady(op) else { continue }
                try db.execute(sql: "DELETE FROM held WHERE replica = ? AND counter = ?",
                               arguments: [op.dot.replica.rawValue, Int64(op.dot.counter)])
                try db.execute(sql: "UPDATE op SET applied = 1 WHERE replica = ? AND counter = ?",
                               arguments: [op.dot.replica.rawValue, Int64(op.dot.counter)])
                heldCount -= 1
                try apply(op)
                tally.applied += 1
                progress = true
            }
        }
    }

    private mutating func apply(_ op: Op) throws {
        let fieldKey = FieldKey(record: op.record, field: op.field)
        let kind = try kindOf(fieldKey, op: op)
        for effect in op.effects {
            if let node = effect.newNode {
                if let parent = node.parent, try !segmentExists(op, parent) {
                    throw MergeError.missingSentence(record: op.record, field: op.field, sentence: parent, dot: op.dot)
                }
                try db.cachedStatement(sql: """
                    INSERT INTO segment (record, field, replica, counter, idx, parent, lamport) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                        op.record, op.field, node.id.dot.replica.rawValue, Int64(node.id.dot.counter),
                        Int64(node.id.index), node.parent?.description ?? "^", Int64(node.lamport),
                    ])
            } else if kind == .text, let id = SegmentID(Substring(effect.key)), try !segmentExists(op, id) {
                throw MergeError.missingSentence(record: op.record, field: op.field, sentence: id, dot: op.dot)
            }
            try applyEffect(effect, of: op, kind: kind)
        }
        clock[op.dot.replica] = op.dot.counter
        changedReplicas.insert(op.dot.replica)
        var scoped = try scopeClock(op.scope)
        scoped[op.dot.replica] = op.dot.counter
        scopeClocks[op.scope] = scoped
        changedScopes.insert(op.scope)
        lamport = max(lamport, op.lamport)
    }

    private mutating func kindOf(_ key: FieldKey, op: Op) throws -> FieldKind {
        let cached = fieldKinds[key]
        let stored = try cached == nil
            ? String.fetchOne(
                db.cachedStatement(sql: "SELECT kind FROM field WHERE record = ? AND field = ?"),
                arguments: [key.record, key.field]
            ).flatMap(FieldKind.init(rawValue:))
            : nil
        if let known = cached ?? stored {
            fieldKinds[key] = known
            guard known == op.kind else {
                throw MergeError.kindMismatch(record: key.record, field: key.field, existing: known, incoming: op.kind)
            }
            return known
        }
        try db.cachedStatement(sql: "INSERT INTO field (record, field, kind, scope) VALUES (?, ?, ?, ?)")
            .execute(arguments: [key.record, key.field, op.kind.rawValue, op.scope])
        fieldKinds[key] = op.kind
        return op.kind
    }

    private func segmentExists(_ op: Op, _ id: SegmentID) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: """
                SELECT 1 FROM segment WHERE record = ? AND field = ? AND replica = ? AND counter = ? AND idx = ?
                """),
            arguments: [op.record, op.field, id.dot.replica.rawValue, Int64(id.dot.counter), Int64(id.index)]) ?? false
    }

    /// The shared rule, row by row: drop what the op's context covers, add the new value,
    /// and keep the conflict list in step with the result.
    private func applyEffect(_ effect: Effect, of op: Op, kind: FieldKind) throws {
        let arguments: StatementArguments = [op.record, op.field, effect.key]
        let before = try ValueRows.fetch(db, record: op.record, field: op.field, key: effect.key)
        let after = before.superseded(by: op.deps, adding: effect.newValue)
        for value in before where op.deps.contains(value.id.dot) {
            try db.cachedStatement(sql: """
                DELETE FROM value WHERE record = ? AND field = ? AND key = ? AND replica = ? AND counter = ? AND idx = ?
                """).execute(arguments: arguments + [value.replica.rawValue, Int64(value.id.dot.counter), Int64(value.id.index)])
        }
        if let value = effect.newValue {
            try db.cachedStatement(sql: """
                INSERT INTO value (record, field, key, replica, counter, idx, lamport, author, wall, content, rank, branch)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: arguments + [
                    value.replica.rawValue, Int64(value.id.dot.counter), Int64(value.id.index), Int64(value.lamport),
                    value.author, value.wallTime.milliseconds, value.content, value.rank, value.branch,
                ])
        }
        let wasConflict = Resolution.of(kind, before).isConflict
        let isConflict = Resolution.of(kind, after).isConflict
        if isConflict && !wasConflict {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO conflict (record, field, key) VALUES (?, ?, ?)")
                .execute(arguments: arguments)
        } else if wasConflict && !isConflict {
            try db.cachedStatement(sql: "DELETE FROM conflict WHERE record = ? AND field = ? AND key = ?")
                .execute(arguments: arguments)
        }
    }

    /// Writes the clocks and Lamport time back; called once before commit.
    func finish() throws {
        for replica in changedReplicas {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO clock (replica, counter) VALUES (?, ?)")
                .execute(arguments: [replica.rawValue, Int64(clock[replica])])
        }
        for scope in changedScopes {
            for (replica, counter) in scopeClocks[scope]!.sortedEntries where changedReplicas.contains(replica) {
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO scope_clock (scope, replica, counter) VALUES (?, ?, ?)")
                    .execute(arguments: [scope, replica.rawValue, Int64(counter)])
            }
        }
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('lamport', ?)", arguments: [String(lamport)])
    }
}
