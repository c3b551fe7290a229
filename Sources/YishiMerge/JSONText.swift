/// Minimal JSON string quoting. Chinese stays as UTF-8 so the journal reads as text;
/// only what JSON requires is escaped, so the same string always gives the same bytes.
public enum JSONText {
    public static func quote(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the quoted text as UTF-8. Most text needs no escaping at all, so it is
    /// checked for that first and then copied in one go.
    public static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        var text = text
        let clean = text.withUTF8 { utf8 -> Bool in
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                if byte < 0x20 || byte == 0x22 || byte == 0x5C { return false }
                // E2 80 A8/A9 are U+2028/U+2029, which JavaScript parsers take for line ends.
                if byte == 0xE2, index + 2 < utf8.count, utf8[index + 1] == 0x80,
                   utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9 { return false }
                index += 1
            }
            bytes.append(contentsOf: utf8)
            return true
        }
        if !clean {
            bytes.append(contentsOf: escaped(text).utf8)
        }
        bytes.append(0x22)
    }

    private static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
