import Foundation

/// The fields of a submitted form (`application/x-www-form-urlencoded`) or a query
/// string, in order, with repeated names kept (several participants, several members'
/// ballots). Bytes that are not valid UTF-8 are refused, never replaced: what a person
/// typed is stored exactly or not at all.
public struct FormFields: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init() {}

    public init(encoded text: String) throws {
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(pieces[0]), let value = Self.decode(pieces.count > 1 ? pieces[1] : "") else {
                throw DeskError("提交的内容不是有效的 UTF-8 文字，没有保存。请检查输入法后重新输入。")
            }
            pairs.append((name, value))
        }
    }

    public init(bytes: [UInt8]) throws {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DeskError("提交的内容不是有效的 UTF-8 文字，没有保存。请检查输入法后重新输入。")
        }
        try self.init(encoded: text)
    }

    /// The first value of a field, with surrounding spaces trimmed; nil when absent or empty.
    public subscript(_ name: String) -> String? {
        guard let value = pairs.first(where: { $0.name == name })?.value.trimmingCharacters(in: .whitespaces),
              !value.isEmpty else { return nil }
        return value
    }

    /// The value exactly as typed (texts such as minutes keep their line breaks and spaces).
    public func raw(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every non-empty value of a repeated field.
    public func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map { $0.value.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Fields whose names start with `prefix` (`ballot.member/HL3-M001`), by the rest of the name.
    public func withPrefix(_ prefix: String) -> [(key: String, value: String)] {
        pairs.filter { $0.name.hasPrefix(prefix) }.map { (String($0.name.dropFirst(prefix.count)), $0.value) }
    }

    public func has(_ name: String) -> Bool { pairs.contains { $0.name == name } }

    /// Fills in a field left empty (a period's default dates), keeping what was typed.
    public mutating func setDefault(_ name: String, _ value: String) {
        guard self[name] == nil else { return }
        pairs.removeAll { $0.name == name }
        pairs.append((name, value))
    }

    static func decode(_ part: Substring) -> String? {
        // Browsers send line breaks in a textarea as CRLF; the records keep plain LF.
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding?
            .replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// Encodes values for a link (`?status=协商中&page=2`).
    public static func query(_ values: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return values.filter { !$0.1.isEmpty }.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }
}
