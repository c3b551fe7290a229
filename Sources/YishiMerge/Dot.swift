/// The identity of one op: the replica that made it and that replica's running counter.
public struct Dot: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var replica: ReplicaID
    public var counter: UInt64

    public init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }

    /// `HL3-01:17`
    public var description: String { "\(replica.rawValue):\(counter)" }

    /// Looks for the colon in the UTF-8 bytes: a search by `Character` would measure
    /// grapheme clusters, which showed in the decoding of every op.
    public init?(_ text: Substring) {
        guard let colon = text.utf8.lastIndex(of: UInt8(ascii: ":")),
              let replica = ReplicaID(rawValue: String(text[..<colon])),
              let counter = UInt64(text[text.utf8.index(after: colon)...]), counter > 0
        else { return nil }
        self.init(replica: replica, counter: counter)
    }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        lhs.replica == rhs.replica ? lhs.counter < rhs.counter : lhs.replica < rhs.replica
    }
}

/// One value written by an op. An op may write several (a text op inserts several
/// sentences), so each gets the op's dot plus its position in the op.
public struct ValueID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var dot: Dot
    public var index: UInt32

    public init(dot: Dot, index: UInt32) {
        self.dot = dot
        self.index = index
    }

    /// `HL3-01:17:2`
    public var description: String { "\(dot):\(index)" }

    public init?(_ text: Substring) {
        guard let colon = text.utf8.lastIndex(of: UInt8(ascii: ":")),
              let dot = Dot(text[..<colon]),
              let index = UInt32(text[text.utf8.index(after: colon)...])
        else { return nil }
        self.init(dot: dot, index: index)
    }

    public static func < (lhs: ValueID, rhs: ValueID) -> Bool {
        lhs.dot == rhs.dot ? lhs.index < rhs.index : lhs.dot < rhs.dot
    }
}

/// Sentences of a text field are named by the value that inserted them.
public typealias SegmentID = ValueID
