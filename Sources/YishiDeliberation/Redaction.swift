import Foundation

/// Keeps personal data off public notices: phone numbers anywhere in the text, and the
/// names of proposers who asked to stay anonymous.
public enum Redaction {
    public static let hiddenPhone = "（电话已隐去）"

    /// A Chinese mobile number (11 digits from 13–19) or a landline with its area code.
    public static func isPhoneNumber(_ text: String) -> Bool {
        let digits = text.filter(\.isASCIIDigit)
        guard digits.count == text.filter({ $0 != "-" && $0 != " " }).count else { return false }
        if digits.count == 11, digits.hasPrefix("1"), let second = digits.dropFirst().first, "3456789".contains(second) {
            return true
        }
        return digits.hasPrefix("0") && (10...12).contains(digits.count)
    }

    /// Replaces every phone number in `text`, and each name in `names`.
    public static func redact(_ text: String, names: [String] = []) -> String {
        var result = ""
        var run = ""
        func flush() {
            result += run.filter(\.isASCIIDigit).count >= 7 && isPhoneNumber(run) ? hiddenPhone : run
            run = ""
        }
        for character in text {
            if character.isASCIIDigit || (character == "-" && !run.isEmpty) {
                run.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        for name in names where !name.isEmpty {
            result = result.replacingOccurrences(of: name, with: "匿名居民")
        }
        return result
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
