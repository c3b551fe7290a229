/// A refusal a person at a desk can act on: the message, in Chinese, and the form field it
/// concerns (so the page shows it beside that field), if any.
public struct DeskError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var field: String?

    public init(_ message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }

    public var description: String { message }
}
