/// A workflow rule that an edit would break, explained so a community worker can act.
/// `field` names the input the rule concerns (`time`, `deadline`), so a desk can show the
/// message beside it; the command line prints the message alone.
public struct RuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message without its remedy.
    public let message: String
    public let field: String?
    /// The way past the rule where it has one (an urgent meeting's reason, a repair's
    /// reason, reopening a shelved topic), said in the words of each place.
    public let remedy: Remedy?

    public init(_ message: String, field: String? = nil, remedy: Remedy? = nil) {
        self.message = message
        self.field = field
        self.remedy = remedy
    }

    /// Where a message is read: what to do is said in that place's words.
    public enum Place: Sendable {
        case commandLine, desk
    }

    /// The message as the command line prints it.
    public var description: String { text(at: .commandLine) }

    public func text(at place: Place) -> String {
        guard let remedy else { return message }
        return message + (place == .desk ? remedy.desk : remedy.commandLine)
    }
}

/// What a person does to get past a rule, once for the command line (the option to type)
/// and once for a desk (the field to fill, the button to press): one rule, one message,
/// said where it is read.
public struct Remedy: Hashable, Sendable {
    public var commandLine: String
    public var desk: String

    public init(commandLine: String, desk: String) {
        self.commandLine = commandLine
        self.desk = desk
    }
}
