/// YishiModel: what the records of community deliberation are — record types, their
/// fields and how each field merges, and the workflows — as pure values with no I/O.

/// How a field merges; mirrors the merge module's field kinds by name, so the model needs
/// no dependency on the merge code.
public enum FieldRule: String, Sendable, CaseIterable {
    case register, set, text, entry, status
}

/// One field of a record type, with the label people read.
public struct FieldSpec: Hashable, Sendable {
    public var name: String
    public var label: String
    public var rule: FieldRule
    /// The command that owns this field and checks the loop's rules on every write to it
    /// (`yishi meeting vote` for ballots). Nil for what people may write freely: titles,
    /// descriptions, places, names.
    public var owner: String?
    /// The values this build knows for a field with a fixed vocabulary (a category, a
    /// status); nil for free text. A value outside them was written by a newer build that
    /// added a choice: it is kept and shown as newer content, never refused on receipt.
    public var choices: [String]?
    /// The schema's minor revision that added the field (0 for the first model): an older
    /// build reads a record as `Schema.types(asOfRevision:)` does.
    public var addedIn: Int
    /// Only the street may set it (its opinion, its signature for a filing, a department's
    /// answer to an escalation): an op from any other origin is refused on every path.
    public var streetOnly: Bool

    public init(_ name: String, _ label: String, _ rule: FieldRule, owner: String? = nil,
                choices: [String]? = nil, addedIn: Int = 0, streetOnly: Bool = false) {
        self.name = name
        self.label = label
        self.rule = rule
        self.owner = owner
        self.choices = choices
        self.addedIn = addedIn
        self.streetOnly = streetOnly
    }
}

/// A kind of record and its fields. Record ids are written `type/reference`, e.g.
/// `topic/HL3-01-2026-0017`.
public struct RecordType: Hashable, Sendable {
    public var name: String
    public var label: String
    public var fields: [FieldSpec]
    /// For types with a `status` field: the workflow that gives each status its rank.
    public var workflow: Workflow?

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

/// The part of a record id people say aloud and print: `topic/HL3-01-2026-0017` →
/// `HL3-01-2026-0017`.
public func referenceOf(_ id: String) -> String {
    guard let slash = id.firstIndex(of: "/") else { return id }
    return String(id[id.index(after: slash)...])
}
