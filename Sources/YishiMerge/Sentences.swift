/// Splits a document into the units that merge independently: sentences and lines.
///
/// A unit ends after a sentence terminator (。！？；!?; or a line break) together with the
/// closing quotes and brackets and repeated terminators that follow it, so `他说：“好。”`
/// stays one unit. Iteration is by `Character` (extended grapheme cluster), so an emoji,
/// a combining mark or `\r\n` is never cut in two.
public enum Sentences {
    public static func split(_ text: String) -> [String] {
        var units: [String] = []
        var current = ""
        var afterTerminator = false
        for character in text {
            if afterTerminator && !isCloser(character) && !isTerminator(character) {
                units.append(current)
                current = ""
                afterTerminator = false
            }
            current.append(character)
            if character.isNewline {
                units.append(current)
                current = ""
                afterTerminator = false
            } else if isTerminator(character) {
                afterTerminator = true
            }
        }
        if !current.isEmpty { units.append(current) }
        return units
    }

    private static func isTerminator(_ character: Character) -> Bool {
        "。！？；!?;…".contains(character)
    }

    private static func isCloser(_ character: Character) -> Bool {
        "”’」』）)】》\"'".contains(character)
    }
}
