/// A place where concurrent edits disagree and a person must choose. Never resolved by a
/// clock: it stays until someone writes a value that supersedes every side.
public struct Conflict: Hashable, Sendable {
    public var record: String
    public var field: String
    public var kind: FieldKind
    /// The entry's author for per-author fields, the sentence id for texts, else empty.
    public var key: String
    /// For texts: the sentence's position in the document, counting from 1.
    public var sentenceNumber: Int?
    /// Each side with its value, replica, author and wall time; the shown one last.
    public var sides: [DottedValue]
    public var shown: DottedValue?

    public init(record: String, field: String, kind: FieldKind, key: String, sentenceNumber: Int?, resolution: Resolution) {
        self.record = record
        self.field = field
        self.kind = kind
        self.key = key
        self.sentenceNumber = sentenceNumber
        self.sides = resolution.sides
        self.shown = resolution.shown
    }
}

extension FieldState {
    /// The conflicts of this field, texts in document order.
    public func conflicts(record: String, field: String) -> [Conflict] {
        if kind == .text {
            return document.sentences.enumerated().compactMap { position, sentence in
                sentence.resolution.isConflict
                    ? Conflict(record: record, field: field, kind: kind, key: sentence.id.description,
                               sentenceNumber: position + 1, resolution: sentence.resolution)
                    : nil
            }
        }
        return values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.compactMap { key in
            let resolution = self.resolution(at: key)
            return resolution.isConflict
                ? Conflict(record: record, field: field, kind: kind, key: key, sentenceNumber: nil, resolution: resolution)
                : nil
        }
    }
}
