/// A text field as a person reads it: its sentences in document order.
public struct TextDocument: Sendable {
    public struct Sentence: Hashable, Sendable {
        public var id: SegmentID
        public var resolution: Resolution
        /// The words shown for this sentence.
        public var text: String { resolution.shown?.content ?? "" }
    }

    /// Visible sentences in order (deleted ones left out, conflicted ones included).
    public private(set) var sentences: [Sentence]

    /// Builds the document from its nodes and the values at each sentence's key.
    public init(nodes: some Sequence<TextNode>, values: (SegmentID) -> [DottedValue]) {
        var children: [SegmentID?: [TextNode]] = [:]
        for node in nodes { children[node.parent, default: []].append(node) }
        for key in children.keys { children[key]!.sort(by: TextNode.siblingPrecedes) }

        var ordered: [Sentence] = []
        // Depth-first, iteratively: a long document inserted sentence by sentence is a
        // chain thousands deep, which would overflow the stack if walked recursively.
        var stack: [TextNode] = (children[nil] ?? []).reversed()
        while let node = stack.popLast() {
            let resolution = Resolution.sentence(values(node.id))
            if resolution.shown?.content != nil {
                ordered.append(Sentence(id: node.id, resolution: resolution))
            }
            stack.append(contentsOf: (children[node.id] ?? []).reversed())
        }
        sentences = ordered
    }

    public var text: String { sentences.map(\.text).joined() }
}
