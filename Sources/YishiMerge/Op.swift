/// One edit to one field of one record, as it travels between replicas and sits in the journal.
public struct Op: Hashable, Sendable {
    /// The schema version this build writes and reads. Ops of another version are refused
    /// with a message to upgrade, never half-understood.
    public static let currentSchema = 1

    public var dot: Dot
    /// Greater than the Lamport time of every op in `deps`: decides display winners.
    public var lamport: UInt64
    /// Every op the author's replica had applied (in this op's scope) when it made this op.
    /// It is both the causal-delivery condition and the context that says which values
    /// this op supersedes.
    public var deps: VersionVector
    /// The community whose records this op touches; sync routes ops by scope.
    public var scope: String
    public var record: String
    public var field: String
    public var change: Change
    /// The staff member who made the edit.
    public var author: String
    public var wallTime: WallTime
    public var schema: Int

    public init(
        dot: Dot, lamport: UInt64, deps: VersionVector, scope: String, record: String, field: String,
        change: Change, author: String, wallTime: WallTime, schema: Int = Op.currentSchema
    ) {
        self.dot = dot
        self.lamport = lamport
        self.deps = deps
        self.scope = scope
        self.record = record
        self.field = field
        self.change = change
        self.author = author
        self.wallTime = wallTime
        self.schema = schema
    }

    public var kind: FieldKind { change.kind }
}

/// What an op does to its field; the case fixes the field kind.
public enum Change: Hashable, Sendable {
    /// Write a register; `nil` clears it.
    case register(String?)
    /// Add and remove elements of a set. An element may not be in both lists.
    case set(add: [String], remove: [String])
    /// Insert, rewrite or delete sentences of a text.
    case text([TextEdit])
    /// Write one author's entry (a member's ballot, an evaluator's rating); `nil` withdraws it.
    case entry(key: String, value: String?)
    /// Move a workflow status.
    case status(StatusValue)

    public var kind: FieldKind {
        switch self {
        case .register: .register
        case .set: .set
        case .text: .text
        case .entry: .entry
        case .status: .status
        }
    }
}

/// A workflow status with its place in the workflow, carried in the op so that the merge
/// needs no knowledge of any particular workflow.
public struct StatusValue: Hashable, Sendable {
    public var name: String
    /// How far along the workflow: concurrent moves keep the highest rank.
    public var rank: Int
    /// Mutually exclusive outcomes (consensus vs shelved) sit on different branches;
    /// the empty branch is the common trunk, compatible with every branch.
    public var branch: String

    public init(name: String, rank: Int, branch: String = "") {
        self.name = name
        self.rank = rank
        self.branch = branch
    }
}

/// One step of a text edit. A new sentence is named by the op's dot and the step's index.
public enum TextEdit: Hashable, Sendable {
    /// Insert a sentence after an existing one (or an earlier insert of the same op);
    /// `nil` means at the start of the document.
    case insert(after: SegmentID?, text: String)
    /// Rewrite a sentence; `nil` deletes it (the sentence stays as a tombstone so that a
    /// concurrent rewrite of it is kept and shown, not lost).
    case put(SegmentID, String?)
}
