import Foundation
import Crypto
import GRDB
import YishiMerge
import YishiTrust

/// Applies ops to the SQLite replica inside one write transaction, with the same rule as
/// `YishiMerge.ReplicaState`: causal delivery, held ops, supersession by context.
///
/// Clock and Lamport time are kept in memory for the transaction and written once at the
/// end, which is what makes applying a large batch cheap. So is `BatchCache`: what the
/// transaction already knows of fields and keys is not read from SQLite again.
struct OpApplier {
    let db: Database
    private(set) var clock: VersionVector
    private var scopeClocks: [String: VersionVector] = [:]
    /// The scope clocks as SQLite holds them, to write back only the entries that moved.
    private var storedScopeClocks: [String: VersionVector] = [:]
    private(set) var lamport: UInt64
    private var heldCount: Int
    /// Ops held for missing dependencies, now.
    var waiting: Int { heldCount }
    private var cache = BatchCache()
    /// Whether the last field not in the cache was found in SQLite (see `kindOf`).
    private var lastFieldExisted = false
    private let statements: ApplyStatements

    struct Tally: Sendable, Equatable {
        var applied = 0
        var duplicates = 0
    }

    private(set) var tally = Tally()

    /// The newest head known for each origin in this transaction (`head(of:at:)`): a batch
    /// is mostly long runs of one origin, each op's head the one before's next.
    private var heads: [ReplicaID: (counter: UInt64, head: [UInt8])] = [:]
    /// Whether an op went in without a head (after a gap) or filled a gap: `finish` then
    /// gives the ops after it their heads.
    private var chainsToFill = false
    /// Whether some op here has no head yet (read once per transaction; nearly never).
    private var hasMissingChains: Bool
    /// What every new op must keep (`OriginRules`); nil while a journal is replayed.
    var originRules: OriginRules?
    /// The community of each record the transaction has checked (the first op's, for a new one).
    private var recordScopes: [String: String] = [:]

    /// At the central node every new op is logged in arrival order, for relaying.
    private let logsArrivals: Bool

    /// `meta` is what the transaction read when it started (see `WriteMeta`).
    init(db: Database, meta: WriteMeta) throws {
        self.db = db
        let statements = ApplyStatements(db)
        self.statements = statements
        logsArrivals = meta.logsArrivals
        lamport = meta.lamport
        clock = try Self.versionVector(statements[.clockOfReplicas])
        var held = 0
        try statements[.heldCount].query { held = Int($0.integer(0)) }
        heldCount = held
        var missing = false
        try RawStatement(db, "SELECT 1 FROM op WHERE chain IS NULL LIMIT 1").query { _ in missing = true }
        hasMissingChains = missing
    }

    /// How many ops of each replica are applied, over all scopes.
    static func versionVector(_ db: Database) throws -> VersionVector {
        try versionVector(RawStatement(db, ApplyStatement.clockOfReplicas.sql))
    }

    /// The maximum over scopes of each replica's counter, from `clockOfReplicas`.
    private static func versionVector(_ statement: RawStatement) throws -> VersionVector {
        var vector = VersionVector()
        try statement.query { row in
            let replica = ReplicaID(rawValue: row.text(0) ?? "")!
            vector[replica] = max(vector[replica], UInt64(row.integer(1)))
        }
        return vector
    }

    mutating func scopeClock(_ scope: String) throws -> VersionVector {
        if let known = scopeClocks[scope] { return known }
        var vector = VersionVector()
        try statements[.clockOfScope].query(.text(scope)) { row in
            vector[ReplicaID(rawValue: row.text(0) ?? "")!] = UInt64(row.integer(1))
        }
        scopeClocks[scope] = vector
        storedScopeClocks[scope] = vector
        return vector
    }

    /// Makes room for a batch of `count` ops at once, instead of growing the batch's
    /// tables step by step, each step hashing every key again.
    mutating func expect(_ count: Int) { cache.reserve(count) }

    /// The community of a record this replica has, nil for a new record.
    func scope(ofRecord record: String) throws -> String? {
        var scope: String?
        try statements[.recordScope].query(.text(record)) { scope = $0.text(0) }
        return scope
    }

    /// Records and (if its dependencies are met) applies one op whose canonical line sits
    /// in the journal at `offset`. Returns false for an op already here. Throws, leaving
    /// the transaction to be rolled back, when the op reuses a dot with other content or
    /// cannot merge.
    ///
    /// `chain` is the op's head in its origin's chain when a proof gave it; otherwise it is
    /// computed from the op before it, when this replica holds that one.
    @discardableResult
    mutating func receive(_ op: Op, line bytes: [UInt8], offset: UInt64, length: Int? = nil, chain given: [UInt8]? = nil,
                          hash known: [UInt8]? = nil) throws -> Bool {
        let hash = known ?? SHA256Hex.hash(bytes)
        let replica = RawStatement.Value.text(op.dot.replica.rawValue)
        let counter = RawStatement.Value.integer(Int64(op.dot.counter))
        let ready = isReady(op)
        let chain = try given ?? head(of: op.dot.replica, at: op.dot.counter - 1).map { OriginChain.next($0, opHash: hash) }
        if let rules = originRules {
            try rules.check(op) {
                if let known = recordScopes[op.record] { return known }
                let found = try scope(ofRecord: op.record)
                recordScopes[op.record] = found ?? op.scope
                return found
            }
        }
        // Nearly every op is new, so insert first and look at the stored one only on a clash.
        try statements[.insertOp].execute(
            replica, counter, .integer(Int64(op.lamport)), .text(op.scope), .text(op.record), .text(op.field),
            .blob(hash), .integer(Int64(offset)), .integer(Int64(length ?? bytes.count)), .integer(ready ? 1 : 0),
            chain.map { .blob($0) } ?? .null)
        let isNew = db.changesCount == 1
        if isNew {
            if let chain { heads[op.dot.replica] = (op.dot.counter, chain) }
            // An op without a head waits for the gap before it; one with a head may fill
            // such a gap, if the replica has any.
            if chain == nil { hasMissingChains = true }
            chainsToFill = chainsToFill || hasMissingChains
        }
        if isNew && logsArrivals {
            try statements[.insertArrival].execute(replica, counter, .text(op.scope))
        }
        if !isNew {
            var known: [UInt8] = []
            try statements[.opHash].query(replica, counter) { known = $0.blob(0) }
            guard known == hash else { throw MergeError.dotReused(op.dot) }
            tally.duplicates += 1
            return false
        }
        if ready {
            try apply(op)
            tally.applied += 1
            if heldCount > 0 { try releaseHeld() }
        } else {
            try db.cachedStatement(sql: "INSERT INTO held (replica, counter, line) VALUES (?, ?, ?)")
                .execute(arguments: [op.dot.replica.rawValue, Int64(op.dot.counter), String(decoding: bytes, as: UTF8.self)])
            heldCount += 1
        }
        return true
    }

    /// The head of `origin`'s chain after its op `counter`, if this replica knows it: the
    /// origin's seed before its first op, an op's stored head, or an anchor a proof left.
    mutating func head(of origin: ReplicaID, at counter: UInt64) throws -> [UInt8]? {
        if counter == 0 { return OriginChain.seed(origin) }
        if let known = heads[origin], known.counter == counter { return known.head }
        var found: [UInt8]?
        try statements[.opChain].query(.text(origin.rawValue), .integer(Int64(counter))) { row in
            let bytes = row.blob(0)
            if !bytes.isEmpty { found = bytes }
        }
        if found == nil {
            try statements[.anchorHead].query(.text(origin.rawValue), .integer(Int64(counter))) { found = $0.blob(0) }
        }
        if let found { heads[origin] = (counter, found) }
        return found
    }

    /// Keeps a checkpoint or an anchor; false when it was kept before (its journal line too).
    mutating func keep(_ point: ChainLine) throws -> Bool {
        switch point {
        case .checkpoint(let checkpoint):
            try statements[.insertChainPoint].execute(
                .text(checkpoint.origin.rawValue), .integer(Int64(checkpoint.counter)), .text(checkpoint.key.rawValue),
                .blob(checkpoint.head), .blob(checkpoint.signature))
        case .anchor(let origin, let counter, let head):
            try statements[.insertChainPoint].execute(.text(origin.rawValue), .integer(Int64(counter)), .text(""), .blob(head), .null)
            if db.changesCount == 1 { heads[origin] = heads[origin] ?? (counter, head) }
        }
        return db.changesCount == 1
    }

    /// Gives every op without a head whose origin's op before it has one its head, in
    /// counter order: a run that arrived after a gap, once the gap is filled. A replica
    /// that took ops out of order before signatures has such runs, and the migration that
    /// first gave ops their heads calls this too.
    static func fillChains(_ db: Database) throws {
        let missing = try Row.fetchAll(db, sql: "SELECT replica, counter, hash FROM op WHERE chain IS NULL ORDER BY replica, counter")
        var last: (origin: String, counter: Int64, head: [UInt8])?
        for row in missing {
            let origin: String = row[0], counter: Int64 = row[1], hash: [UInt8] = Array(row[2] as Data)
            var before: [UInt8]?
            if let last, last.origin == origin, last.counter == counter - 1 {
                before = last.head
            } else if counter == 1 {
                before = ReplicaID(rawValue: origin).map(OriginChain.seed)
            } else {
                before = try Data.fetchOne(db, sql: "SELECT chain FROM op WHERE replica = ? AND counter = ? AND chain IS NOT NULL",
                                           arguments: [origin, counter - 1]).map(Array.init)
                    ?? Data.fetchOne(db, sql: "SELECT head FROM chain_point WHERE origin = ? AND counter = ? LIMIT 1",
                                     arguments: [origin, counter - 1]).map(Array.init)
            }
            guard let before else { continue }
            let head = OriginChain.next(before, opHash: hash)
            try db.execute(sql: "UPDATE op SET chain = ? WHERE replica = ? AND counter = ?", arguments: [Data(head), origin, counter])
            last = (origin, counter, head)
        }
    }

    private func isReady(_ op: Op) -> Bool {
        clock[op.dot.replica] == op.dot.counter - 1 && op.deps.isCovered(by: clock)
    }

    private mutating func releaseHeld() throws {
        var progress = true
        while progress && heldCount > 0 {
            progress = false
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT line FROM held ORDER BY replica, counter"))
            for row in rows {
                let op = try OpCodec.decode(Array((row[0] as String).utf8))
                guard isReady(op) else { continue }
                let dot: StatementArguments = [op.dot.replica.rawValue, Int64(op.dot.counter)]
                try db.cachedStatement(sql: "DELETE FROM held WHERE replica = ? AND counter = ?").execute(arguments: dot)
                try db.cachedStatement(sql: "UPDATE op SET applied = 1 WHERE replica = ? AND counter = ?").execute(arguments: dot)
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
        cache.staleRecords.insert(op.record)
        for effect in op.effects {
            if let node = effect.newNode {
                if let parent = node.parent, try !segmentExists(op, parent) {
                    throw MergeError.missingSentence(record: op.record, field: op.field, sentence: parent, dot: op.dot)
                }
                try statements[.insertSegment].execute(
                    .text(op.record), .text(op.field), .text(node.id.dot.replica.rawValue), .integer(Int64(node.id.dot.counter)),
                    .integer(Int64(node.id.index)), .text(node.parent?.description ?? "^"), .integer(Int64(node.lamport)))
            } else if kind == .text, let id = SegmentID(Substring(effect.key)), try !segmentExists(op, id) {
                throw MergeError.missingSentence(record: op.record, field: op.field, sentence: id, dot: op.dot)
            }
            try applyEffect(effect, of: op, field: fieldKey, kind: kind)
        }
        clock[op.dot.replica] = op.dot.counter
        if scopeClocks[op.scope] == nil { _ = try scopeClock(op.scope) }
        // In place: a copy taken out and put back would duplicate the vector every op.
        scopeClocks[op.scope]![op.dot.replica] = op.dot.counter
        lamport = max(lamport, op.lamport)
    }

    /// The field's kind, recording it if the field is new. A catch-up comes in runs: weeks
    /// of new records, or edits to ones this box has. So the statement that settled the
    /// last field not in the cache is tried first: the insert after a new field, the
    /// lookup after a known one, and the other only when the first did not settle it.
    private mutating func kindOf(_ key: FieldKey, op: Op) throws -> FieldKind {
        var known = cache.kinds[key]
        if known == nil && lastFieldExisted {
            known = try storedKind(key)
        }
        if known == nil {
            try statements[.insertField].execute(.text(key.record), .text(key.field), .text(op.kind.rawValue), .text(op.scope))
            if db.changesCount == 1 {
                lastFieldExisted = false
                cache.created(key, kind: op.kind)
                return op.kind
            }
            known = try storedKind(key)
        }
        guard let known, known == op.kind else {
            throw MergeError.kindMismatch(record: key.record, field: key.field, existing: known ?? op.kind, incoming: op.kind)
        }
        return known
    }

    /// The kind SQLite holds for a field, remembered for the rest of the batch.
    private mutating func storedKind(_ key: FieldKey) throws -> FieldKind? {
        var stored: FieldKind?
        try statements[.fieldKind].query(.text(key.record), .text(key.field)) { stored = FieldKind(rawValue: $0.text(0) ?? "") }
        if let stored {
            lastFieldExisted = true
            cache.read(key, kind: stored)
        }
        return stored
    }

    private func segmentExists(_ op: Op, _ id: SegmentID) throws -> Bool {
        var found = false
        try statements[.segmentExists].query(
            .text(op.record), .text(op.field), .text(id.dot.replica.rawValue), .integer(Int64(id.dot.counter)),
            .integer(Int64(id.index))) { _ in found = true }
        return found
    }

    /// The shared rule, row by row: drop what the op's context covers, add the new value,
    /// and keep the conflict list in step with the result.
    private mutating func applyEffect(_ effect: Effect, of op: Op, field fieldKey: FieldKey, kind: FieldKind) throws {
        let record = RawStatement.Value.text(op.record)
        let field = RawStatement.Value.text(op.field)
        let key = RawStatement.Value.text(effect.key)
        let valueKey = BatchCache.ValueKey(field: fieldKey, key: effect.key)
        // A new sentence's key has never been written: nothing to look up.
        let before = try effect.newNode == nil
            ? cache.values(at: valueKey) { try ValueRows.fetch(statements[.valuesAtKey], record: op.record, field: op.field, key: effect.key) } : []
        let after = before.superseded(by: op.deps, adding: effect.newValue)
        cache.set(after, at: valueKey)
        for value in before where op.deps.contains(value.id.dot) {
            try statements[.deleteValue].execute(
                record, field, key, .text(value.replica.rawValue), .integer(Int64(value.id.dot.counter)), .integer(Int64(value.id.index)))
        }
        if let value = effect.newValue {
            try statements[.insertValue].execute(
                record, field, key, .text(value.replica.rawValue), .integer(Int64(value.id.dot.counter)),
                .integer(Int64(value.id.index)), .integer(Int64(value.lamport)), .text(value.author),
                .integer(value.wallTime.milliseconds), value.content.map { .text($0) } ?? .null,
                .integer(Int64(value.rank)), .text(value.branch))
        }
        let wasConflict = Resolution.isConflict(kind, before)
        let isConflict = Resolution.isConflict(kind, after)
        if isConflict && !wasConflict {
            try statements[.insertConflict].execute(record, field, key)
        } else if wasConflict && !isConflict {
            try statements[.deleteConflict].execute(record, field, key)
        }
    }

    /// Writes the clocks and the records to re-index back; called once before commit. The
    /// Lamport time goes back with the rest of `WriteMeta`.
    func finish() throws {
        if chainsToFill { try Self.fillChains(db) }
        for record in cache.staleRecords {
            try statements[.markStale].execute(.text(record))
        }
        for (scope, vector) in scopeClocks {
            let stored = storedScopeClocks[scope] ?? VersionVector()
            for (replica, counter) in vector.sortedEntries where stored[replica] != counter {
                try statements[.upsertScopeClock].execute(.text(scope), .text(replica.rawValue), .integer(Int64(counter)))
            }
        }
    }
}
