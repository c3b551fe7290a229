/// A workflow rule that an edit would break, explained so a community worker can act.
/// `field` names the input the rule concerns (`time`, `deadline`), so a desk can show the
/// message beside it; the command line prints the message alone.
public struct RuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public let field: String?

    public init(_ description: String, field: String? = nil) {
        self.description = description
        self.field = field
    }
}
