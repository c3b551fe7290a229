/// A community rule that an edit goes past but that is the community's to set, not a law:
/// the edit is kept, and the person is told which rule it goes past and where the
/// community can change it. `field` names the input it concerns, as `RuleViolation` does.
public struct RuleNotice: Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public let field: String?

    public init(_ description: String, field: String? = nil) {
        self.description = description
        self.field = field
    }
}
