/// The committee's make-up (seed 000, 356 协商议事): each of the 8 方面 recommends one
/// member, for a term that is in principle three years. Communities that seat more than
/// one person per 方面 say so in `rules.toml`; an addition past these numbers is kept, and
/// the worker told which rule it goes past and where to change it.
public struct CommitteeMakeup: Sendable {
    public var membersPerCategory: Int
    public var termYears: Int

    public init(membersPerCategory: Int, termYears: Int) {
        self.membersPerCategory = membersPerCategory
        self.termYears = termYears
    }

    /// What adding a member of `category` for `start`…`end` goes past, given the members
    /// already registered. A term that ends before it starts is a `RuleViolation`, checked
    /// before this.
    public func notices(adding name: String, category: String, from start: LocalDate, to end: LocalDate,
                        among members: [Member]) -> [RuleNotice] {
        var notices: [RuleNotice] = []
        let alongside = members.filter { $0.category == category && $0.overlaps(start, end) }
        if alongside.count >= membersPerCategory {
            let names = alongside.map(\.name).joined(separator: "、")
            notices.append(RuleNotice(
                "“\(category)”在这段任期内已有 \(alongside.count) 人（\(names)），加上 \(name) 超过了本社区“每个方面 \(membersPerCategory) 人”的规则。"
                    + "已经登记；如本社区每个方面推选多人，请在数据目录的 rules.toml 里把 members_per_category 改为实际人数。",
                field: "category"))
        }
        let limit = start.addingYears(termYears)
        if end >= limit {
            notices.append(RuleNotice(
                "任期 \(start) 至 \(end) 超过了本社区“每届 \(termYears) 年”的规则（应在 \(limit) 之前结束）。"
                    + "已经登记；如本社区的任期不同，请在数据目录的 rules.toml 里改 term_years。",
                field: "termEnd"))
        }
        return notices
    }
}

extension Member {
    /// Whether the member's term shares a day with `start`…`end` (an open end runs on).
    public func overlaps(_ start: LocalDate, _ end: LocalDate) -> Bool {
        (termStart.map { $0 <= end } ?? true) && (termEnd.map { $0 >= start } ?? true)
    }
}

extension LocalDate {
    /// The same day `years` later; 29 February becomes 28 February in a common year.
    public func addingYears(_ years: Int) -> LocalDate {
        LocalDate(year: year + years, month: month, day: min(day, LocalDate.days(inMonth: month, of: year + years)))
    }
}
