import Foundation

/// Keeps personal data off public notices and the residents' board: phone numbers
/// anywhere in the text, in the forms people actually type them; room numbers, which name
/// a household (7号楼501, 3单元402室, 3-2-301) while a building alone (3号楼) says where a
/// matter is and stays; and the names of proposers who asked to stay anonymous.
public enum Redaction {
    public static let hiddenPhone = "（电话已隐去）"
    public static let hiddenRoom = "（房号已隐去）"

    /// A Chinese mobile number (11 digits from 13–19) or a landline with its area code
    /// (0451-86123456, (010) 1234 5678), written with or without spaces, hyphens and
    /// brackets, with +86 / 0086 / 86 before it, in half- or full-width digits.
    public static func isPhoneNumber(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first, startsNumber(first) else { return false }
        return trimmed.allSatisfy(isNumberPart) && isPhone(digits: digits(of: trimmed))
    }

    /// Replaces every phone number in `text`, and each name in `names`. A run of digits
    /// right after a letter or a hyphen belongs to something else (a reference number such
    /// as DSF-01-2026-0001) and is left alone.
    public static func redact(_ text: String, names: [String] = []) -> String {
        var result = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let previous = index > 0 ? characters[index - 1] : nil
            let partOfIdentifier = previous.map { ($0.isASCII && $0.isLetter) || $0 == "-" || isDigit($0) } ?? false
            guard startsNumber(character), !partOfIdentifier else {
                result.append(character)
                index += 1
                continue
            }
            var end = index
            while end < characters.count, isNumberPart(characters[end]) { end += 1 }
            // Spaces join numbers into one run ("13812345678 3号楼"): the longest phone
            // number the run starts with is taken; if there is none, its first group is
            // passed over and the rest looked at again.
            var found: Int?
            for stop in stride(from: end, to: index, by: -1) where isDigit(characters[stop - 1]) || "）)".contains(characters[stop - 1]) {
                let followedByLetter = stop < characters.count && characters[stop].isASCII && characters[stop].isLetter
                if !followedByLetter, isPhone(digits: digits(of: String(characters[index..<stop]))) {
                    found = stop
                    break
                }
            }
            if let found {
                result += hiddenPhone
                index = found
            } else {
                var group = index + 1
                while group < end, isDigit(characters[group]) || !isDigit(characters[group - 1]) && !" \u{3000}".contains(characters[group]) {
                    group += 1
                }
                result += String(characters[index..<group])
                index = group
            }
        }
        result = maskRooms(result)
        for name in names where !name.isEmpty {
            result = result.replacingOccurrences(of: name, with: "匿名居民")
        }
        return result
    }

    /// A room after its building, unit or floor (`7号楼501`, `3单元402室`, `5栋1202`), a room
    /// on its own (`402室`), and the building–unit–room shorthand (`3-2-301`) not inside a
    /// longer number or reference (`2026-11-30`, `DSF-01-2026-0001`).
    static let roomPatterns: [(NSRegularExpression, String)] = [
        (#"(号楼|栋|幢|单元|楼)\s?[0-9０-９]{3,4}\s?(室|号|房)?(?![0-9０-９])"#, "$1" + hiddenRoom),
        (#"(?<![0-9０-９A-Za-z\-－])[0-9０-９]{3,4}\s?(室|房间)"#, hiddenRoom),
        (#"(?<![0-9０-９A-Za-z\-－])[0-9]{1,3}[-－][0-9]{1,2}[-－][0-9]{3,4}(?![0-9\-－])"#, hiddenRoom),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    static func maskRooms(_ text: String) -> String {
        roomPatterns.reduce(text) { text, rule in
            rule.0.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: rule.1)
        }
    }

    /// The digits of a written number, full-width ones as ASCII.
    static func digits(of text: String) -> String {
        String(text.compactMap { character -> Character? in
            guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return nil }
            switch scalar.value {
            case 0x30...0x39: return character
            case 0xFF10...0xFF19: return Character(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!)
            default: return nil
            }
        })
    }

    static func isPhone(digits: String) -> Bool {
        var number = Substring(digits)
        for prefix in ["0086", "86"] where number.hasPrefix(prefix) && number.count > prefix.count + 8 {
            number = number.dropFirst(prefix.count)
            // After the country code a landline drops its leading 0: 86 451 8612 3456.
            if !number.hasPrefix("1"), !number.hasPrefix("0") { number = "0" + number }
            break
        }
        if number.count == 11, number.hasPrefix("1"), let second = number.dropFirst().first, "3456789".contains(second) {
            return true
        }
        // 0 + a 2–3 digit area code + a 7–8 digit local number.
        return number.hasPrefix("0") && (10...12).contains(number.count) && number.dropFirst().first != "0"
    }

    static func isDigit(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return false }
        return (0x30...0x39).contains(scalar.value) || (0xFF10...0xFF19).contains(scalar.value)
    }

    static func startsNumber(_ character: Character) -> Bool {
        isDigit(character) || "+＋(（".contains(character)
    }

    static func isNumberPart(_ character: Character) -> Bool {
        isDigit(character) || " -－—+＋()（）\u{3000}".contains(character)
    }
}
