/// A share as notices print it, with one decimal, rounded half up: 1,760 of 1,800 is
/// 97.8 %, not the 97.7 % that cutting the digits off would print. A share of nothing is
/// no share: it is absent (`—`), never 0.0 %, which would say something was counted.
public enum Percent {
    /// Tenths of a percent: 978 for 1,760 of 1,800; nil when `whole` is 0.
    public static func perMille(_ part: Int, of whole: Int) -> Int? {
        whole <= 0 ? nil : (part * 2000 + whole) / (2 * whole)
    }

    /// `97.8%`, or `—` when `whole` is 0.
    public static func text(_ part: Int, of whole: Int) -> String {
        guard let value = perMille(part, of: whole) else { return none }
        return "\(value / 10).\(value % 10)%"
    }

    /// What a rate, an average or a median over an empty set reads as.
    public static let none = "—"
}
