/// A whole replica held in memory: causal delivery, held ops, merged fields.
///
/// The SQLite replica in YishiStore follows the same rules row by row; this value is the
/// reference it is tested against, and what the property tests drive by the thousand.
public struct ReplicaState: Sendable {
    public let replica: ReplicaID
    public private(set) var clock = VersionVector()
    public private(set) var scopeClocks: [String: VersionVector] = [:]
    public private(set) var lamport: UInt64 = 0
    public private(set) var fields: [FieldKey: FieldState] = [:]
    /// Every op received, applied or held: what a peer may ask for.
    public private(set) var log: [Dot: Op] = [:]
    /// Ops whose dependencies have not arrived yet. Kept, never dropped.
    public private(set) var held: [Dot: Op] = [:]

    public init(replica: ReplicaID) { self.replica = replica }

    public enum Receipt: Hashable, Sendable {
        /// Applied, together with this many held ops it unblocked.
        case applied(unblocked: Int)
        case held
        case duplicate
    }

    /// Takes an op from anywhere (this replica, a peer, a bundle) in any order, any number
    /// of times.
    @discardableResult
    public mutating func receive(_ op: Op) throws(MergeError) -> Receipt {
        if let known = log[op.dot] {
            guard known == op else { throw .dotReused(op.dot) }
            return .duplicate
        }
        if let existing = fields[FieldKey(record: op.record, field: op.field)], existing.kind != op.kind {
            throw .kindMismatch(record: op.record, field: op.field, existing: existing.kind, incoming: op.kind)
        }
        guard isReady(op) else {
            log[op.dot] = op
            held[op.dot] = op
            return .held
        }
        try apply(op)
        log[op.dot] = op
        return .applied(unblocked: try releaseHeld())
    }

    public func isReady(_ op: Op) -> Bool {
        clock[op.dot.replica] == op.dot.counter - 1 && op.deps.isCovered(by: clock)
    }

    private mutating func apply(_ op: Op) throws(MergeError) {
        let key = FieldKey(record: op.record, field: op.field)
        var state = fields[key] ?? FieldState(kind: op.kind)
        try state.apply(op)
        fields[key] = state
        clock[op.dot.replica] = op.dot.counter
        scopeClocks[op.scope, default: VersionVector()][op.dot.replica] = op.dot.counter
        lamport = max(lamport, op.lamport)
    }

    private mutating func releaseHeld() throws(MergeError) -> Int {
        var released = 0
        var progress = true
        while progress {
            progress = false
            for op in held.values.sorted(by: { $0.dot < $1.dot }) where isReady(op) {
                held[op.dot] = nil
                try apply(op)
                released += 1
                progress = true
            }
        }
        return released
    }

    /// Makes and applies a local edit. Its context is everything this replica has applied
    /// in the op's scope, so it supersedes every value its author could see — which is how
    /// a conflict gets resolved: by writing once more. A text edit that changes nothing
    /// makes no op.
    @discardableResult
    public mutating func edit(
        record: String, field: String, scope: String, change: LocalChange, author: String, wallTime: WallTime
    ) throws(MergeError) -> Op? {
        let dot = Dot(replica: replica, counter: clock[replica] + 1)
        let state = fields[FieldKey(record: record, field: field)]
        let made = change.change(against: state, dot: dot)
        if case .text(let edits) = made, edits.isEmpty { return nil }
        let current = scopeClocks[scope] ?? VersionVector()
        let op = Op(
            dot: dot, lamport: lamport + 1, deps: change.context(within: current), scope: scope,
            record: record, field: field, change: made, author: author, wallTime: wallTime)
        try receive(op)
        return op
    }

    public func field(_ record: String, _ field: String) -> FieldState? {
        fields[FieldKey(record: record, field: field)]
    }

    public var conflicts: [Conflict] {
        fields.keys.sorted().flatMap { fields[$0]!.conflicts(record: $0.record, field: $0.field) }
    }

    /// What `yishi digest` hashes; see `Canonical`.
    public var canonicalLines: [String] {
        [Canonical.clockLine(clock)] + fields.keys.sorted().flatMap { Canonical.fieldLines($0, fields[$0]!) }
    }
}

/// An edit as a person makes it, before it becomes an op.
public enum LocalChange: Hashable, Sendable {
    case write(String?)
    case add(String)
    case remove(String)
    /// The whole new text; only the sentences that differ become edits.
    case text(String)
    /// The whole new text, diffed against the text as its author loaded it rather than as
    /// it is now; the op's context is what the author had seen (see `TextBase`).
    case textSince(TextBase, String)
    /// Rewrite one sentence by id, even to the words it already shows: resolves its conflict.
    case sentence(SegmentID, String?)
    case entry(key: String, value: String?)
    case status(StatusValue)

    /// The op's causal context: everything applied in its scope, or for a text edited from
    /// an earlier load, only what its author had seen then — so a rewrite that arrived
    /// meanwhile is kept beside the author's and shown as a conflict, never overwritten.
    public func context(within current: VersionVector) -> VersionVector {
        guard case .textSince(let base, _) = self else { return current }
        return current.meet(base.seen)
    }

    /// True when making the op needs the field's current state (a text diff).
    public var needsCurrentState: Bool {
        if case .text = self { return true }
        return false
    }

    public func change(against state: FieldState?, dot: Dot) -> Change {
        switch self {
        case .write(let value): .register(value)
        case .add(let element): .set(add: [element], remove: [])
        case .remove(let element): .set(add: [], remove: [element])
        case .text(let text):
            .text(TextDiff.edits(from: state?.document.sentences ?? [], to: text, dot: dot))
        case .textSince(let base, let text):
            .text(TextDiff.edits(from: base.sentences.map { (id: $0.id, text: $0.text) }, to: text, dot: dot))
        case .sentence(let id, let text): .text([.put(id, text)])
        case .entry(let key, let value): .entry(key: key, value: value)
        case .status(let status): .status(status)
        }
    }
}
