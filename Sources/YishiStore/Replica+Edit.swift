import GRDB
import YishiMerge

/// One edit a staff member makes to one field.
public struct LocalEdit: Sendable {
    public var record: String
    public var field: String
    public var change: LocalChange
    /// The community the record belongs to; a station's own community unless given.
    public var scope: String?

    public init(record: String, field: String, change: LocalChange, scope: String? = nil) {
        self.record = record
        self.field = field
        self.change = change
        self.scope = scope
    }
}

extension Replica {
    /// Makes the edits as ops and applies them, all or none, in one transaction. Each op's
    /// context is everything applied in its scope, so it supersedes every value its author
    /// could see. A text edit that changes nothing makes no op.
    @discardableResult
    public func edit(_ edits: [LocalEdit], author: String, at wallTime: WallTime) throws -> [Op] {
        try write { context in try make(edits, in: &context, author: author, at: wallTime) }
    }

    /// Makes a new record named `prefix` + the next free number (`topic/HL3-01-2026-` →
    /// `topic/HL3-01-2026-0018`) and its first edits, in one transaction. Numbers come
    /// from the records themselves, so they survive a rebuild; only this station makes
    /// records under its own prefix, so no other station can take the same number.
    public func create(
        prefix: String, digits: Int = 4, author: String, at wallTime: WallTime, _ build: (String) throws -> [LocalEdit]
    ) throws -> (id: String, ops: [Op]) {
        try write { context in
            let last = try String.fetchOne(
                context.applier.db, sql: "SELECT max(record) FROM field WHERE record > ? AND record < ?",
                arguments: [prefix, prefix + "\u{10FFFF}"])
            let number = (last.flatMap { Int($0.dropFirst(prefix.count).prefix(digits)) } ?? 0) + 1
            let digitsText = String(number)
            let id = prefix + String(repeating: "0", count: max(0, digits - digitsText.count)) + digitsText
            return (id, try make(try build(id), in: &context, author: author, at: wallTime))
        }
    }

    private func make(_ edits: [LocalEdit], in context: inout WriteContext, author: String, at wallTime: WallTime) throws -> [Op] {
        try Self.refuseIfRestored(context.meta)
        var made: [Op] = []
        let perScope = context.meta.perScopeOrigins
        for edit in edits {
            // An existing record stays in its community; a new one is in this replica's.
            let scope = try edit.scope ?? context.applier.scope(ofRecord: edit.record) ?? community
            // The central writes each community's edits as its own origin (central.HL3): a
            // station sees only its community's ops, so one counter across communities would
            // leave gaps it waits on forever.
            let origin = perScope ? ReplicaID(rawValue: "\(replica.rawValue).\(scope)") ?? replica : replica
            let dot = Dot(replica: origin, counter: context.applier.clock[origin] + 1)
            // Only a text edit depends on what is there now (to diff against it).
            let state = edit.change.needsCurrentState
                ? try ValueRows.fieldState(context.applier.db, record: edit.record, field: edit.field) : nil
            let change = edit.change.change(against: state, dot: dot)
            if case .text(let steps) = change, steps.isEmpty { continue }
            let op = Op(
                dot: dot, lamport: context.applier.lamport + 1, deps: edit.change.context(within: try context.applier.scopeClock(scope)),
                scope: scope, record: edit.record, field: edit.field, change: change,
                author: author, wallTime: wallTime)
            try context.receive(op)
            made.append(op)
        }
        return made
    }

    /// Applies ops from elsewhere (a peer, a bundle), all or none. Ops already here are
    /// skipped; ops whose dependencies are missing are kept until those arrive. A progress
    /// report that throws (the person stopped it) rolls the whole batch back.
    ///
    /// Nothing here proves who wrote the ops: this is for a replica that trusts no street
    /// yet (an older central's pull) and for tests. Ops from a stick or a central that signs
    /// go through `receive(_:proofs:directory:from:)`.
    @discardableResult
    public func receive(_ ops: [Op], progress: ProgressReport? = nil) throws -> ReceiveReport {
        try write { context in
            context.applier.originRules?.streetFields = false
            try context.receive(ops, progress: progress)
            return ReceiveReport(
                applied: context.applier.tally.applied, held: context.applier.waiting,
                duplicates: context.applier.tally.duplicates)
        }
    }
}

/// What a batch did: ops applied now (including held ones it released), ops waiting for
/// missing dependencies afterwards, and ops that were already here.
public struct ReceiveReport: Sendable, Equatable {
    public var applied: Int
    public var held: Int
    public var duplicates: Int

    public init(applied: Int, held: Int, duplicates: Int) {
        self.applied = applied
        self.held = held
        self.duplicates = duplicates
    }
}
