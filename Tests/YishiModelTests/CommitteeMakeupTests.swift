import Testing
import YishiModel

/// The committee's make-up (seed 000): one member per 方面 and three-year terms by default,
/// a community's own numbers otherwise; going past them is pointed out, never refused.
@Suite struct CommitteeMakeupTests {
    let seed = CommitteeMakeup(membersPerCategory: 1, termYears: 3)
    let start = LocalDate("2024-01-01")!
    let sun = Member(id: "member/HL3-M001", name: "孙代表", category: "居民代表",
                     termStart: LocalDate("2024-01-01"), termEnd: LocalDate("2026-12-31"))

    @Test func aSecondMemberOfOneCategoryIsPointedOutWithTheRuleAndWhereToChangeIt() {
        let notices = seed.notices(adding: "王代表", category: "居民代表", from: start, to: LocalDate("2026-12-31")!, among: [sun])
        #expect(notices.count == 1)
        #expect(notices[0].field == "category")
        #expect(notices[0].description.contains("孙代表") && notices[0].description.contains("每个方面 1 人")
                && notices[0].description.contains("members_per_category"))
        #expect(seed.notices(adding: "周大姐", category: "妇女代表", from: start, to: LocalDate("2026-12-31")!, among: [sun]).isEmpty)
    }

    @Test func onlyTermsThatOverlapCount() {
        let next = seed.notices(adding: "王代表", category: "居民代表", from: LocalDate("2027-01-01")!, to: LocalDate("2029-12-31")!, among: [sun])
        #expect(next.isEmpty)
        let lastDay = seed.notices(adding: "王代表", category: "居民代表", from: LocalDate("2026-12-31")!, to: LocalDate("2029-12-30")!, among: [sun])
        #expect(lastDay.count == 1)
    }

    @Test func aCommunitySeatingThreePerCategoryIsNotWarnedUntilTheFourth() {
        let three = CommitteeMakeup(membersPerCategory: 3, termYears: 3)
        let wang = Member(id: "member/HL3-M002", name: "王代表", category: "居民代表", termStart: start, termEnd: LocalDate("2026-12-31"))
        #expect(three.notices(adding: "冯老师", category: "居民代表", from: start, to: LocalDate("2026-12-31")!, among: [sun, wang]).isEmpty)
        let feng = Member(id: "member/HL3-M003", name: "冯老师", category: "居民代表", termStart: start, termEnd: LocalDate("2026-12-31"))
        #expect(three.notices(adding: "陈阿姨", category: "居民代表", from: start, to: LocalDate("2026-12-31")!, among: [sun, wang, feng]).count == 1)
    }

    /// Three years from 2024-01-01 end on 2026-12-31; a day more is past the rule.
    @Test func aTermIsMeasuredToTheDay() {
        #expect(seed.notices(adding: "周大姐", category: "妇女代表", from: start, to: LocalDate("2026-12-31")!, among: []).isEmpty)
        let long = seed.notices(adding: "周大姐", category: "妇女代表", from: start, to: LocalDate("2027-01-01")!, among: [])
        #expect(long.count == 1 && long[0].field == "termEnd" && long[0].description.contains("term_years"))
        let seven = seed.notices(adding: "周大姐", category: "妇女代表", from: start, to: LocalDate("2030-12-31")!, among: [])
        #expect(seven.count == 1 && seven[0].description.contains("每届 3 年"))
        #expect(LocalDate("2024-02-29")!.addingYears(3) == LocalDate("2027-02-28"))
    }
}

/// A rule with a way past it says how in the words of the place that shows it.
@Suite struct RemedyTests {
    @Test func theCommandLineNamesTheOptionAndTheDeskTheField() {
        let violation = #expect(throws: RuleViolation.self) {
            try NoticePolicy(noticeDays: 3).check(posted: LocalDateTime("2026-11-02 09:00")!,
                                                  meeting: LocalDateTime("2026-11-03 09:00")!, urgentReason: nil)
        }
        #expect(violation?.description.contains("--urgent \"紧急原因\"") == true)
        #expect(violation?.text(at: .desk).contains("“紧急原因”一栏") == true)
        #expect(violation?.text(at: .desk).contains("--urgent") == false)
        #expect(violation?.text(at: .commandLine).hasPrefix("会议须提前 3 天公示") == true)
    }
}
