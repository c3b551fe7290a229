/// How concurrent edits to a field merge. Fixed per field by the record schema.
public enum FieldKind: String, Sendable, CaseIterable {
    /// One value; concurrent different values are all kept and shown as a conflict.
    case register
    /// Add-wins observed-remove set: an add concurrent with a remove survives.
    case set
    /// A document split into sentences and lines; each merges as its own register.
    case text
    /// One register per author (ballots, evaluations): two voters never conflict.
    case entry
    /// Workflow status: concurrent moves keep the furthest one; incompatible outcomes conflict.
    case status
}

extension FieldKind {
    /// The kind a line names, read from its bytes without making a string.
    init?(utf8 name: UnsafeBufferPointer<UInt8>) {
        guard let kind = Self.allCases.first(where: { $0.rawValue.utf8.elementsEqual(name) }) else { return nil }
        self = kind
    }
}
