import YishiDeliberation
import YishiDesk
import YishiMerge
import YishiModel

/// Reading typed values into the loop's types, with a message beside the field when they
/// do not fit.
public enum Typed {
    public static func required(_ fields: FormFields, _ name: String, _ label: String) throws -> String {
        guard let value = fields[name] else { throw DeskError("请填写\(label)。", field: name) }
        return value
    }

    public static func date(_ fields: FormFields, _ name: String, _ label: String) throws -> LocalDate? {
        guard let text = fields[name] else { return nil }
        guard let date = LocalDate(text) else {
            throw DeskError("\(label)“\(text)”不是有效日期：请写成 2026-12-31 这样的格式，并确认这一天存在。", field: name)
        }
        return date
    }

    public static func dateTime(_ fields: FormFields, _ name: String, _ label: String) throws -> LocalDateTime {
        let text = try required(fields, name, label)
        guard let time = LocalDateTime(text) else {
            throw DeskError("\(label)“\(text)”不是有效时间：请写成 2026-11-25 14:30 这样的格式，并确认这一天存在。", field: name)
        }
        return time
    }

    public static func count(_ fields: FormFields, _ name: String, _ label: String) throws -> Int {
        let text = try required(fields, name, label)
        guard let number = Int(text), number >= 0 else { throw DeskError("\(label)应是 0 或正整数，现在是“\(text)”。", field: name) }
        return number
    }

    /// One per line (participants, names at a meeting).
    public static func lines(_ fields: FormFields, _ name: String) -> [String] {
        (fields.raw(name) ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The text as the person loaded it, sent back from the page (see `TextBase`).
    public static func base(_ fields: FormFields, _ name: String = "base") throws -> TextBase {
        guard let text = fields.raw(name), let base = TextBase(encoded: text) else {
            throw DeskError("页面缺少原文信息，没有保存。请刷新页面后重新修改。")
        }
        return base
    }
}
