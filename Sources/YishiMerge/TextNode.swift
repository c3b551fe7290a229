/// Where a sentence sits in a text: after the sentence it was inserted after.
///
/// Siblings (sentences inserted after the same one) are ordered newest first, as in RGA:
/// a causally later insert carries a greater Lamport time, so it lands right after its
/// anchor as its author saw it, and concurrent inserts get a fixed, replica-independent order.
public struct TextNode: Hashable, Sendable {
    public var id: SegmentID
    public var parent: SegmentID?
    public var lamport: UInt64

    public init(id: SegmentID, parent: SegmentID?, lamport: UInt64) {
        self.id = id
        self.parent = parent
        self.lamport = lamport
    }

    static func siblingPrecedes(_ lhs: TextNode, _ rhs: TextNode) -> Bool {
        if lhs.lamport != rhs.lamport { return lhs.lamport > rhs.lamport }
        if lhs.id.dot.replica != rhs.id.dot.replica { return lhs.id.dot.replica > rhs.id.dot.replica }
        return lhs.id > rhs.id
    }
}
