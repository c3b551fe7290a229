/// Names a field of a record.
public struct FieldKey: Hashable, Comparable, Sendable {
    public var record: String
    public var field: String

    public init(record: String, field: String) {
        self.record = record
        self.field = field
    }

    public static func < (lhs: FieldKey, rhs: FieldKey) -> Bool {
        lhs.record == rhs.record
            ? lhs.field.utf8.lexicographicallyPrecedes(rhs.field.utf8)
            : lhs.record.utf8.lexicographicallyPrecedes(rhs.record.utf8)
    }
}

/// The merged state of one field: the surviving values at each key, and for texts the
/// sentence tree.
public struct FieldState: Hashable, Sendable {
    public let kind: FieldKind
    public internal(set) var values: [String: [DottedValue]] = [:]
    public internal(set) var nodes: [SegmentID: TextNode] = [:]

    public init(kind: FieldKind) { self.kind = kind }

    /// Rebuilds a field from stored rows (the SQLite replica keeps the same parts).
    public init(kind: FieldKind, values: [String: [DottedValue]], nodes: [SegmentID: TextNode]) {
        self.kind = kind
        self.values = values
        self.nodes = nodes
    }

    public func resolution(at key: String) -> Resolution { .of(kind, values[key] ?? []) }

    public var document: TextDocument {
        TextDocument(nodes: nodes.values) { values[$0.description] ?? [] }
    }

    /// Elements of a set field, in byte order.
    public var elements: [String] {
        values.filter { !$0.value.isEmpty }.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    mutating func apply(_ op: Op) throws(MergeError) {
        for effect in op.effects {
            if let node = effect.newNode {
                if let parent = node.parent, nodes[parent] == nil {
                    throw .missingSentence(record: op.record, field: op.field, sentence: parent, dot: op.dot)
                }
                nodes[node.id] = node
            } else if kind == .text, let id = SegmentID(Substring(effect.key)), nodes[id] == nil {
                throw .missingSentence(record: op.record, field: op.field, sentence: id, dot: op.dot)
            }
            let kept = (values[effect.key] ?? []).superseded(by: op.deps, adding: effect.newValue)
            values[effect.key] = kept.isEmpty ? nil : kept
        }
    }
}
