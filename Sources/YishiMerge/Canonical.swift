/// The canonical text form of merged state that `yishi digest` hashes. The in-memory state
/// and the SQLite replica both emit exactly these lines in exactly this order, so two
/// replicas that applied the same ops agree byte for byte — and the tests can check it.
public enum Canonical {
    public static func clockLine(_ clock: VersionVector) -> String {
        "clock\t" + clock.description
    }

    public static func fieldLine(_ key: FieldKey, _ kind: FieldKind) -> String {
        "field\t\(JSONText.quote(key.record))\t\(JSONText.quote(key.field))\t\(kind.rawValue)"
    }

    public static func valueLine(key: String, _ value: DottedValue) -> String {
        "value\t\(JSONText.quote(key))\t\(value.id)\t\(value.lamport)\t\(JSONText.quote(value.author))\t"
            + "\(value.wallTime.milliseconds)\t\(value.content.map(JSONText.quote) ?? "null")\t\(value.rank)\t"
            + JSONText.quote(value.branch)
    }

    public static func nodeLine(_ node: TextNode) -> String {
        "node\t\(node.id)\t\(node.parent?.description ?? "^")\t\(node.lamport)"
    }

    /// Keys in byte order, values by id, nodes by id: orders SQLite reproduces with
    /// `ORDER BY` on BINARY-collated text and integer columns.
    public static func fieldLines(_ key: FieldKey, _ state: FieldState) -> [String] {
        var lines = [fieldLine(key, state.kind)]
        let keys = state.values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for valueKey in keys {
            for value in state.values[valueKey]!.sorted(by: { $0.id < $1.id }) {
                lines.append(valueLine(key: valueKey, value))
            }
        }
        for node in state.nodes.values.sorted(by: { $0.id < $1.id }) {
            lines.append(nodeLine(node))
        }
        return lines
    }
}
