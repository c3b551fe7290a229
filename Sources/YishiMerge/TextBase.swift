import Foundation

/// A text as someone loaded it to edit — in a browser, where minutes stay open for an
/// hour while the station syncs — so their save is a diff against what they saw: the
/// sentences (by id) with their words then, and the version vector of the replica then.
public struct TextBase: Hashable, Sendable {
    public struct Sentence: Hashable, Sendable {
        public var id: SegmentID
        public var text: String

        public init(id: SegmentID, text: String) {
            self.id = id
            self.text = text
        }
    }

    public var sentences: [Sentence]
    public var seen: VersionVector

    public init(sentences: [Sentence], seen: VersionVector) {
        self.sentences = sentences
        self.seen = seen
    }

    /// The text of a field now, as a base for an edit that will be saved later.
    public init(_ state: FieldState?, seen: VersionVector) {
        sentences = state?.document.sentences.map { Sentence(id: $0.id, text: $0.text) } ?? []
        self.seen = seen
    }

    public var text: String { sentences.map(\.text).joined() }

    /// One line per sentence, `id<TAB>words` with tabs and line breaks escaped, then the
    /// vector: the form a web page carries in a hidden field and sends back.
    public var encoded: String {
        (["v " + seen.description] + sentences.map { "\($0.id)\t" + Self.escape($0.text) }).joined(separator: "\n")
    }

    public init?(encoded: String) {
        var lines = encoded.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("v "), let seen = VersionVector(parsing: String(first.dropFirst(2))) else { return nil }
        lines.removeFirst()
        var sentences: [Sentence] = []
        for line in lines where !line.isEmpty {
            guard let tab = line.firstIndex(of: "\t"), let id = SegmentID(line[..<tab]),
                  let text = Self.unescape(line[line.index(after: tab)...]) else { return nil }
            sentences.append(Sentence(id: id, text: text))
        }
        self.init(sentences: sentences, seen: seen)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\r", with: "\\r")
    }

    static func unescape(_ text: Substring) -> String? {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                default: return nil
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return escaping ? nil : out
    }
}
