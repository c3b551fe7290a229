/// What applying an op does at one key of its field: drop the values the op's context
/// covers, then add the op's new value (if any). Every field kind reduces to this, which
/// is why the in-memory state and the SQLite replica can share one rule.
public struct Effect: Hashable, Sendable {
    /// `""` for registers and statuses, the element for sets, the author for entries,
    /// the sentence id for texts.
    public var key: String
    public var newValue: DottedValue?
    /// A text insert also places a new sentence in the document.
    public var newNode: TextNode?
}

extension Op {
    /// The effects of this op, in order. Pure and total: validation happened at decode.
    public var effects: [Effect] {
        func value(_ index: Int, _ content: String?, rank: Int = 0, branch: String = "") -> DottedValue {
            DottedValue(
                id: ValueID(dot: dot, index: UInt32(index)), lamport: lamport, author: author,
                wallTime: wallTime, content: content, rank: rank, branch: branch)
        }
        switch change {
        case .register(let content):
            return [Effect(key: "", newValue: value(0, content))]
        case .entry(let key, let content):
            return [Effect(key: key, newValue: value(0, content))]
        case .status(let status):
            return [Effect(key: "", newValue: value(0, status.name, rank: status.rank, branch: status.branch))]
        case .set(let added, let removed):
            // Removes carry no value: they only supersede the adds they observed. An add
            // concurrent with the remove is not in the remove's context, so it survives.
            return removed.map { Effect(key: $0, newValue: nil) }
                + added.enumerated().map { Effect(key: $0.element, newValue: value($0.offset, "")) }
        case .text(let edits):
            return edits.enumerated().map { index, edit in
                switch edit {
                case .insert(let after, let text):
                    let id = ValueID(dot: dot, index: UInt32(index))
                    return Effect(
                        key: id.description, newValue: value(index, text),
                        newNode: TextNode(id: id, parent: after, lamport: lamport))
                case .put(let segment, let text):
                    return Effect(key: segment.description, newValue: value(index, text))
                }
            }
        }
    }
}

extension Array where Element == DottedValue {
    /// The values at a key after an op with context `deps` wrote `newValue` there.
    public func superseded(by deps: VersionVector, adding newValue: DottedValue?) -> [DottedValue] {
        var kept = filter { !deps.contains($0.id.dot) }
        if let newValue { kept.append(newValue) }
        return kept
    }
}
