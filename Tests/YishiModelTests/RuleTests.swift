import PropertyBased
import Testing
import YishiModel

@Suite struct LocalTimeTests {
    @Test func datesThatDoNotExistAreRefused() {
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2026-04-31") == nil)
        #expect(LocalDate("2026-13-01") == nil)
        #expect(LocalDate("26-1-1") == nil)
        #expect(LocalDateTime("2026-11-25 24:00") == nil)
        #expect(LocalDateTime("2026-11-25 14:30")?.description == "2026-11-25 14:30")
    }

    @Test func beijingTimeIsUTCPlusEight() {
        let time = LocalDateTime("2026-01-01 07:59")!
        #expect(time.milliseconds == LocalDateTime("2025-12-31 23:59")!.milliseconds + 8 * 3_600_000)
        #expect(time.date == LocalDate("2026-01-01"))
    }

    @Test func dayNumbersRoundTrip() async {
        await propertyCheck(count: 1000, input: Gen.int(in: -100_000...100_000)) { day in
            #expect(LocalDate(dayNumber: day).dayNumber == day)
            #expect(LocalDate(LocalDate(dayNumber: day).description)?.dayNumber == day)
        }
    }
}

@Suite struct NoticePolicyTests {
    let policy = NoticePolicy(noticeDays: 3)
    let posted = LocalDateTime("2026-11-02 09:00")!

    @Test func threeFullDaysAreNeeded() throws {
        try policy.check(posted: posted, meeting: LocalDateTime("2026-11-05 09:00")!, urgentReason: nil)
        #expect(throws: RuleViolation.self) {
            try policy.check(posted: posted, meeting: LocalDateTime("2026-11-05 08:59")!, urgentReason: nil)
        }
    }

    @Test func urgentMeetingsNeedAReason() throws {
        let soon = LocalDateTime("2026-11-02 18:00")!
        try policy.check(posted: posted, meeting: soon, urgentReason: "地库进水")
        #expect(throws: RuleViolation.self) { try policy.check(posted: posted, meeting: soon, urgentReason: "  ") }
        #expect(throws: RuleViolation.self) { try policy.check(posted: posted, meeting: LocalDateTime("2026-11-01 10:00")!, urgentReason: "x") }
    }

    @Test func registrationIsOpenOnlyDuringTheNotice() throws {
        let meeting = LocalDateTime("2026-11-06 14:30")!
        try policy.checkRegistration(at: LocalDateTime("2026-11-06 14:29")!, posted: posted, meeting: meeting)
        #expect(throws: RuleViolation.self) {
            try policy.checkRegistration(at: meeting, posted: posted, meeting: meeting)
        }
        #expect(throws: RuleViolation.self) {
            try policy.checkRegistration(at: LocalDateTime("2026-11-01 09:00")!, posted: posted, meeting: meeting)
        }
    }
}

@Suite struct ConsensusTallyTests {
    static let members = Set((1...10).map { "m\($0)" })

    func ballots(agree: Int, disagree: Int = 0) -> [String: String] {
        var ballots: [String: String] = [:]
        for index in 1...10 where index <= agree { ballots["m\(index)"] = "同意" }
        for index in 1...10 where index > agree && index <= agree + disagree { ballots["m\(index)"] = "不同意" }
        return ballots
    }

    @Test func eightyPercentOfAllMembersNotOfThosePresent() {
        #expect(ConsensusTally(ballots: ballots(agree: 8), members: Self.members, percent: 80).passed)
        #expect(!ConsensusTally(ballots: ballots(agree: 7), members: Self.members, percent: 80).passed)
        // Eight present, seven agreeing: 87.5 % of those present, but 70 % of the committee.
        let present = ConsensusTally(ballots: ballots(agree: 7, disagree: 1), members: Self.members, percent: 80)
        #expect(!present.passed && present.agree == 7 && present.notVoted == 2)
    }

    @Test func ballotsOfNonMembersDoNotCount() {
        var cast = ballots(agree: 7)
        cast["outsider"] = "同意"
        let tally = ConsensusTally(ballots: cast, members: Self.members, percent: 80)
        #expect(tally.agree == 7 && !tally.passed)
    }

    @Test func neededRoundsUp() {
        let seven = Set((1...7).map { "m\($0)" })
        #expect(ConsensusTally(ballots: [:], members: seven, percent: 80).needed == 6)
    }
}

@Suite struct OutcomeRuleTests {
    @Test func satisfiedAndBasicallySatisfiedBothCount() {
        let assessment = SatisfactionAssessment(ratings: ["满意", "基本满意", "基本满意", "满意", "不满意"], percent: 80)
        #expect(assessment.passed && assessment.rateText == "80.0%")
        #expect(!SatisfactionAssessment(ratings: ["满意", "不满意"], percent: 80).passed)
        #expect(!SatisfactionAssessment(ratings: [], percent: 80).passed)
    }

    @Test func minutesNeedAllFourElements() throws {
        let complete = ActionElements(owner: "物业", standard: "四组垃圾桶", deadline: "2026-11-30", supervisor: "孙代表")
        let partial = ActionElements(owner: "物业", standard: " ", deadline: nil, supervisor: "孙代表")
        #expect(partial.missing == ["干到什么标准", "什么时间干完"])
        try ActionElements.checkMinutes([(id: "A001", elements: complete)])
        #expect(throws: RuleViolation.self) { try ActionElements.checkMinutes([(id: "A002", elements: partial)]) }
    }

    @Test func overdueIsDerivedFromTheDeadline() {
        let deadline = LocalDate("2026-11-30")
        #expect(!Deadline.isOverdue(deadline, done: false, today: LocalDate("2026-11-30")!))
        #expect(Deadline.isOverdue(deadline, done: false, today: LocalDate("2026-12-01")!))
        #expect(!Deadline.isOverdue(deadline, done: true, today: LocalDate("2026-12-01")!))
    }

    /// Rectification loops back to evaluation; the ranks must still rise, or a merge would
    /// take the re-inspection for a step backwards.
    @Test func statusRanksRiseThroughEveryRound() {
        let workflow = Workflow.topic
        let evaluating = workflow.status("evaluating")!, rectifying = workflow.status("rectifying")!
        var last = workflow.rank(of: workflow.status("implementing")!, round: 1)
        for round in 1...20 {
            let evaluation = workflow.rank(of: evaluating, round: round)
            let rectification = workflow.rank(of: rectifying, round: round)
            #expect(last < evaluation && evaluation < rectification)
            last = rectification
        }
        #expect(last < workflow.rank(of: workflow.status("closed")!, round: 20))
    }
}

@Suite struct MeetingOutcomeTests {
    @Test func aLegacyOutcomeCountsOnlyForTheTopicItNames() {
        var meeting = Meeting(id: "meeting/HL3-01-2026-H001")
        meeting.topics = ["topic/HL3-01-2026-0001", "topic/HL3-01-2026-0002"]
        meeting.round = 2
        meeting.outcome = "HL3-01-2026-0002：未达成共识，转入下一轮协商"
        #expect(meeting.outcome(for: "topic/HL3-01-2026-0001") == nil)
        #expect(meeting.outcome(for: "topic/HL3-01-2026-0002")?.contains("未达成共识") == true)
        meeting.outcomes["topic/HL3-01-2026-0001"] = "HL3-01-2026-0001：达成共识"
        #expect(meeting.outcome(for: "topic/HL3-01-2026-0001") == "达成共识", "shown beside its topic, without its number again")
        meeting.rounds["topic/HL3-01-2026-0001"] = 1
        #expect(meeting.round(for: "topic/HL3-01-2026-0001") == 1 && meeting.round(for: "topic/HL3-01-2026-0002") == 2)
    }
}

@Suite struct PercentTests {
    @Test func sharesAreRoundedNotCut() {
        #expect(Percent.text(1760, of: 1800) == "97.8%")
        #expect(Percent.text(920, of: 926) == "99.4%")
        #expect(Percent.text(1, of: 3) == "33.3%" && Percent.text(2, of: 3) == "66.7%")
        #expect(Percent.text(0, of: 0) == "—" && Percent.text(5, of: 5) == "100.0%")
        #expect(HouseholdConsultation(consulted: 1800, agreed: 1760).summary.contains("97.8%"))
    }

    @Test func anAddresseeSaysItsLevelOnce() {
        var escalation = Escalation(id: "escalation/HL3-01-2026-S001")
        escalation.level = "区"
        escalation.department = "区卫健局"
        #expect(escalation.addressee == "区卫健局")
        escalation.level = "街道"
        escalation.department = "城管科"
        #expect(escalation.addressee == "街道城管科")
    }
}
