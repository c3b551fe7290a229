/// The one check every text a person enters passes, whichever way it came in (command
/// arguments, a file, standard input, a desk's form): no control characters — line breaks
/// and tabs only where the text may have lines — nothing a broken encoding left behind,
/// and a length that fits what the field is for.
public struct TextInput: Sendable {
    public enum Shape: Sendable {
        /// One line: a title, a name, a place.
        case line
        /// Lines and tabs allowed: descriptions, minutes, reasons.
        case text
    }

    public var label: String
    public var field: String
    public var limit: Int
    public var shape: Shape

    public init(_ label: String, field: String, limit: Int, _ shape: Shape = .line) {
        self.label = label
        self.field = field
        self.limit = limit
        self.shape = shape
    }

    public func check(_ value: String) throws(RuleViolation) {
        if value.unicodeScalars.contains("\u{FFFD}") {
            throw RuleViolation("“\(label)”里有无法识别的字符（�），多半是编码不对（例如 GBK）。请改用 UTF-8 重新输入，没有保存。", field: field)
        }
        for scalar in value.unicodeScalars where scalar.properties.generalCategory == .control {
            if shape == .text, scalar == "\n" || scalar == "\t" || scalar == "\r" { continue }
            let shown = scalar == "\n" ? "换行" : scalar == "\t" ? "制表符" : "控制字符 U+\(String(scalar.value, radix: 16, uppercase: true))"
            throw RuleViolation("“\(label)”里有\(shown)，\(shape == .line ? "这一项只能写一行" : "不能保存")。请删去后再试。", field: field)
        }
        // Characters that reorder what is shown (bidirectional overrides and isolates) never;
        // in one line, nothing invisible either: two names that look alike must be alike.
        for scalar in value.unicodeScalars where scalar.properties.generalCategory == .format {
            let reorders = (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            guard reorders || (shape == .line && scalar.value != 0x200D) else { continue }
            throw RuleViolation("“\(label)”里有看不见的字符 U+\(String(scalar.value, radix: 16, uppercase: true))（\(reorders ? "会打乱文字的显示顺序" : "如零宽空格")），多半是从别处复制来的。请删去后再试。",
                                field: field)
        }
        let count = value.count
        guard count <= limit else {
            throw RuleViolation("“\(label)”太长：最多 \(limit) 个字，现在是 \(count) 个字。请精简后再试。", field: field)
        }
    }

    // The fields people type, with limits that fit their use.
    public static let title = TextInput("标题", field: "title", limit: 100)
    public static let name = TextInput("姓名", field: "name", limit: 50)
    public static let description = TextInput("具体内容", field: "description", limit: 10_000, .text)
    public static let minutes = TextInput("会议纪要", field: "minutes", limit: 100_000, .text)
}
