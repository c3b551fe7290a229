/// A workflow rule that an edit would break, explained so a community worker can act.
public struct RuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
