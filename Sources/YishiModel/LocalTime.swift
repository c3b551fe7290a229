/// A calendar date as community workers write it (`2026-11-25`), in China's time zone.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Parses `YYYY-MM-DD`, refusing dates that do not exist (2026-02-30).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= Self.days(inMonth: month, of: year)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public var description: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

    /// `2026年11月25日`, for notices.
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: doy - (153 * mp + 2) / 5 + 1)
    }

    public static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// A moment as community workers write it (`2026-11-25 14:30`), Beijing time (UTC+8,
/// no daylight saving), stored as milliseconds since 1970 UTC.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let offsetMilliseconds: Int64 = 8 * 3_600_000

    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Parses `YYYY-MM-DD HH:MM` (or with `T`), refusing times that do not exist.
    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let date = LocalDate(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 2, clock[0].count == 2, clock[1].count == 2,
              let hour = Int(clock[0]), let minute = Int(clock[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        let local = (Int64(date.dayNumber) * 24 * 60 + Int64(hour * 60 + minute)) * 60_000
        self.init(milliseconds: local - Self.offsetMilliseconds)
    }

    public var date: LocalDate {
        let local = milliseconds + Self.offsetMilliseconds
        return LocalDate(dayNumber: Int(local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000))
    }

    private var minuteOfDay: Int {
        let local = milliseconds + Self.offsetMilliseconds
        let ms = ((local % 86_400_000) + 86_400_000) % 86_400_000
        return Int(ms / 60_000)
    }

    /// `2026-11-25 14:30`
    public var description: String {
        "\(date) \(LocalDate.pad(minuteOfDay / 60, 2)):\(LocalDate.pad(minuteOfDay % 60, 2))"
    }

    /// `2026年11月25日 14:30`, for notices.
    public var chinese: String { "\(date.chinese) \(LocalDate.pad(minuteOfDay / 60, 2)):\(LocalDate.pad(minuteOfDay % 60, 2))" }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
