/// Words for full-text search in Chinese, which has no spaces between words: each run of
/// Chinese characters becomes its overlapping pairs (垃圾分类 → 垃圾 圾分 分类), so a search
/// for 垃圾分类 finds it inside 北门的垃圾分类设施 as the same run of pairs. Other letters and
/// digits form ordinary lower-cased words.
enum SearchText {
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var run: [Character] = []
        var word = ""
        func flushRun() {
            if run.count == 1 { tokens.append(String(run[0])) }
            if run.count > 1 { for index in 0..<(run.count - 1) { tokens.append(String(run[index...index + 1])) } }
            run = []
        }
        func flushWord() {
            if !word.isEmpty { tokens.append(word.lowercased()) }
            word = ""
        }
        for character in text {
            if isChinese(character) {
                flushWord()
                run.append(character)
            } else {
                flushRun()
                if character.isLetter || character.isNumber { word.append(character) } else { flushWord() }
            }
        }
        flushRun()
        flushWord()
        return tokens
    }

    /// An FTS5 phrase matching the query's tokens in order.
    static func phrase(_ query: String) -> String? {
        let tokens = self.tokens(query)
        guard !tokens.isEmpty else { return nil }
        return "\"" + tokens.map { $0.replacingOccurrences(of: "\"", with: "\"\"") }.joined(separator: " ") + "\""
    }

    static func isChinese(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2EBEF: return true
        default: return false
        }
    }
}
