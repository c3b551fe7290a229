/// A share as notices print it, with one decimal, rounded half up: 1,760 of 1,800 is
/// 97.8 %, not the 97.7 % that cutting the digits off would print.
public enum Percent {
    /// Tenths of a percent: 978 for 1,760 of 1,800; 0 when `whole` is 0.
    public static func perMille(_ part: Int, of whole: Int) -> Int {
        whole <= 0 ? 0 : (part * 2000 + whole) / (2 * whole)
    }

    /// `97.8%`
    public static func text(_ part: Int, of whole: Int) -> String {
        let value = perMille(part, of: whole)
        return "\(value / 10).\(value % 10)%"
    }
}
