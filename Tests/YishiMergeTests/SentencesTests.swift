import PropertyBased
import Testing
import YishiMerge
import YishiTestSupport

/// The sentence splitter against the plain version it replaced, character by character.
@Suite struct SentencesTests {
    /// The first splitter: each unit built character by character, each character looked
    /// up in string literals. Slow, and plainly right: the oracle.
    static func reference(_ text: String) -> [String] {
        var units: [String] = []
        var current = ""
        var afterTerminator = false
        for character in text {
            if afterTerminator && !"”’」』）)】》\"'".contains(character) && !"。！？；!?;…".contains(character) {
                units.append(current)
                current = ""
                afterTerminator = false
            }
            current.append(character)
            if character.isNewline {
                units.append(current)
                current = ""
                afterTerminator = false
            } else if "。！？；!?;…".contains(character) {
                afterTerminator = true
            }
        }
        if !current.isEmpty { units.append(current) }
        return units
    }

    /// Pieces that matter to the split: terminators, closers, line ends of every kind, a
    /// mark combining with a full stop, emoji, the Greek question mark.
    static let pieces = ["。", "！", "？", "；", "!", "?", ";", "…", "”", "’", "」", "』", "）", ")", "】", "》", "\"", "'",
                         "\n", "\r\n", "\r", "\u{2028}", "\u{0301}", "\u{037E}", "👍🏽", "好", "a", " ", "“", "，", "\u{3000}"]

    @Test func splitsAsTheReferenceDoes() async {
        await propertyCheck(count: 3000, input: Gen.element(of: Self.pieces).array(of: 0...40)) { chosen in
            let text = chosen.compactMap { $0 }.joined()
            #expect(Sentences.split(text) == Self.reference(text), "\(text.debugDescription)")
            #expect(Sentences.split(text).joined() == text)
        }
    }
}
