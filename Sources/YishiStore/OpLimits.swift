import YishiMerge
import YishiTrust

/// What one op may hold, whoever wrote it. The forms' limits (`TextInput`) hold for what
/// people type at this build; these hold for every op any replica takes, whatever build or
/// hand made it, so that a doctored station cannot push a title of megabytes, nor text with
/// characters that reorder what it shows. They are the forms' largest limits, not each
/// field's: a replica refuses what no form of any field would accept.
enum OpLimits {
    /// Characters of a register's, an entry's or a status's value, or of a set's element
    /// (the largest one-value field a form takes is 10,000 characters).
    static let value = 10_000
    /// Characters one text op inserts or rewrites in all (a meeting's minutes: 100,000).
    static let text = 100_000
    /// Elements one set op adds or removes.
    static let elements = 1_000

    static func check(_ op: Op) throws(ProvenanceError) {
        func value(_ text: String?) throws(ProvenanceError) {
            guard let text else { return }
            // Counting characters walks grapheme breaks; a value of few bytes has few characters.
            guard text.utf8.count <= Self.value || text.count <= Self.value else {
                throw .tooLarge(op.dot, field: op.field, limit: "\(Self.value) 个字")
            }
            if let scalar = text.unicodeScalars.first(where: isHidden) { throw .hiddenCharacter(op.dot, field: op.field, scalar: scalar.value) }
        }
        switch op.change {
        case .register(let content), .entry(_, let content):
            try value(content)
        case .status(let status):
            try value(status.name)
        case .set(let added, let removed):
            guard added.count + removed.count <= elements else { throw .tooLarge(op.dot, field: op.field, limit: "\(elements) 项") }
            for element in added { try value(element) }
        case .text(let edits):
            let contents = edits.compactMap { edit -> String? in
                switch edit {
                case .insert(_, let text): text
                case .put(_, let text): text
                }
            }
            for content in contents {
                if let scalar = content.unicodeScalars.first(where: isReordering) {
                    throw .hiddenCharacter(op.dot, field: op.field, scalar: scalar.value)
                }
            }
            // Characters are counted only when the bytes alone could be too many.
            guard contents.reduce(0, { $0 + $1.utf8.count }) <= text || contents.reduce(0, { $0 + $1.count }) <= text else {
                throw .tooLarge(op.dot, field: op.field, limit: "\(text) 个字")
            }
        }
    }

    /// Characters that change the order text is shown in (bidirectional overrides and
    /// isolates): a name could read as another on screen.
    static func isReordering(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// Those, and the invisible ones (zero-width spaces and joiners, word joiner, byte-order
    /// mark, soft hyphen) that make two values that look alike differ: not in one-line values.
    /// The joiner inside emoji (U+200D) is allowed.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII, CJK and fullwidth forms, most of what is written here, hold none of them:
        // skip the look-up of their category.
        let value = scalar.value
        if value < 0x80 || (0x3000...0x9FFF).contains(value) || (0xFF00...0xFFEF).contains(value) { return false }
        return isReordering(scalar) || (scalar.properties.generalCategory == .format && value != 0x200D)
    }
}
