import Foundation

/// Setting keys in a commented config file without losing its comments: `yishi setup`
/// fills in the files the package installs, and the worker who opens them later still
/// finds every key explained where it was.
extension ConfigFile {
    /// `text` with each key set: the line that sets it is rewritten, or, if it is only
    /// there as a commented example (`# ca_file = "…"`), that line is uncommented and set;
    /// otherwise the key is added at the end. A nil value comments an active line out.
    static func setting(_ values: [(key: String, value: String?)], in text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (key, value) in values {
            let active = lines.firstIndex { Self.key(of: $0) == key }
            let example = lines.firstIndex { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed.hasPrefix("#") && Self.key(of: String(trimmed.dropFirst())) == key
            }
            guard let value else {
                if let active { lines[active] = "# " + lines[active] }
                continue
            }
            let line = "\(key) = \(value)"
            if let index = active ?? example {
                lines[index] = line
            } else {
                if lines.last == "" { lines.removeLast() }
                lines += [line, ""]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The value a key is set to in `text`, unquoted (what the file says, before any
    /// environment override): where a setup finds the data directory the package chose.
    static func value(of key: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where Self.key(of: String(line)) == key {
            let value = line[line.index(after: line.firstIndex(of: "=")!)...].trimmingCharacters(in: .whitespaces)
            return value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }

    /// A string as the file writes it: in double quotes.
    static func quoted(_ value: String) -> String { "\"\(value)\"" }

    /// The key a `key = value` line sets (comments and blank lines have none).
    private static func key(of line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { return nil }
        let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
        return key.isEmpty || key.contains(" ") ? nil : key
    }
}
