import Foundation

/// Keeps personal data off public notices: phone numbers anywhere in the text, and the
/// names of proposers who asked to stay anonymous.
public enum Redaction {
    public static let hiddenPhone = "（电话已隐去）"

    /// A Chinese mobile number (11 digits from 13–19, optionally written 138-1234-5678) or
    /// a landline with its area code (0451-86123456, 045186123456).
    public static func isPhoneNumber(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return false }
        let digits = groups.joined()
        if digits.count == 11, digits.hasPrefix("1"), "3456789".contains(digits[digits.index(after: digits.startIndex)]) {
            return groups.count == 1 || groups.map(\.count) == [3, 4, 4]
        }
        guard digits.hasPrefix("0") else { return false }
        switch groups.count {
        case 1: return (10...12).contains(digits.count)
        case 2: return (3...4).contains(groups[0].count) && (7...8).contains(groups[1].count)
        default: return false
        }
    }

    /// Replaces every phone number in `text`, and each name in `names`. A run of digits
    /// right after a letter or a hyphen belongs to something else (a reference number such
    /// as DSF-01-2026-0001) and is left alone.
    public static func redact(_ text: String, names: [String] = []) -> String {
        var result = ""
        var run = ""
        var partOfIdentifier = false
        var previous: Character?
        func flush() {
            let trimmed = run.hasSuffix("-") ? String(run.dropLast()) : run
            result += !partOfIdentifier && isPhoneNumber(trimmed) ? hiddenPhone + run.dropFirst(trimmed.count) : run
            run = ""
        }
        for character in text {
            if character.isASCIIDigit || (character == "-" && !run.isEmpty) {
                if run.isEmpty { partOfIdentifier = previous.map { ($0.isASCII && $0.isLetter) || $0 == "-" } ?? false }
                run.append(character)
            } else {
                flush()
                result.append(character)
            }
            previous = character
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
