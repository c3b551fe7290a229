/// The share an outcome was judged by, kept with the outcome: what was decided is decided
/// under the rules in force that day, and a later change of rules.toml changes no past
/// outcome, figure or notice. Since schema revision 3 each outcome keeps its share in a
/// field of its own (an assembly's quorum and majority, a round's consensus share, an
/// evaluation's satisfaction share); an outcome recorded before that carries it only in the
/// sentence that reported it (`须超过 66%`), and it is read back from there.
public enum JudgedShare {
    /// The whole percent written after the `occurrence`-th (from 0) `marker` in `text`:
    /// `应到 100、实到 60（60.0%，须超过 66%）` after `须超过 ` is 66. Nil when there is none.
    public static func read(_ text: String?, after marker: String, occurrence: Int = 0) -> Int? {
        guard let text else { return nil }
        var rest = Substring(text)
        for _ in 0..<occurrence {
            guard let found = rest.firstRange(of: marker) else { return nil }
            rest = rest[found.upperBound...]
        }
        guard let found = rest.firstRange(of: marker) else { return nil }
        let digits = rest[found.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, rest[found.upperBound...].dropFirst(digits.count).first == "%", let value = Int(digits),
              (0...100).contains(value) else { return nil }
        return value
    }

    /// A stored share (`"66"`), if it is one.
    public static func stored(_ text: String?) -> Int? {
        text.flatMap { Int($0) }.flatMap { (0...100).contains($0) ? $0 : nil }
    }
}
