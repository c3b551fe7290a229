/// A value as it sits in a field: what was written, by which op, and who wrote it when.
public struct DottedValue: Hashable, Sendable {
    public var id: ValueID
    public var lamport: UInt64
    public var author: String
    public var wallTime: WallTime
    /// The written text; `nil` for a cleared register or a deleted sentence. A set element's
    /// presence is an empty string.
    public var content: String?
    /// Workflow rank and branch; zero and empty for every other kind.
    public var rank: Int
    public var branch: String

    public init(
        id: ValueID, lamport: UInt64, author: String, wallTime: WallTime, content: String?,
        rank: Int = 0, branch: String = ""
    ) {
        self.id = id
        self.lamport = lamport
        self.author = author
        self.wallTime = wallTime
        self.content = content
        self.rank = rank
        self.branch = branch
    }

    public var replica: ReplicaID { id.dot.replica }

    /// The display order among concurrent values: Lamport time, then replica id. Never the
    /// wall clock, which would hand every conflict to the station whose clock runs fast.
    public static func displayPrecedes(_ lhs: DottedValue, _ rhs: DottedValue) -> Bool {
        if lhs.lamport != rhs.lamport { return lhs.lamport < rhs.lamport }
        if lhs.replica != rhs.replica { return lhs.replica < rhs.replica }
        return lhs.id < rhs.id
    }
}
