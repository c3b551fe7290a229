/// Overdue is derived from a deadline and today, never stored: a stored flag would be
/// wrong the day after it was written, and differently wrong at each station.
public enum Deadline {
    public static func isOverdue(_ deadline: LocalDate?, done: Bool, today: LocalDate) -> Bool {
        guard let deadline, !done else { return false }
        return deadline < today
    }

    public static func daysOverdue(_ deadline: LocalDate, today: LocalDate) -> Int {
        max(0, today.dayNumber - deadline.dayNumber)
    }
}
