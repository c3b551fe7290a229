import PropertyBased
import Testing
import YishiModel

/// The seeds' last procedures as pure rules: confirming topics before a meeting and the
/// street's opinion (001 art. 9), the residents' assembly (组织法 第十条), 五议一备两公开
/// and mediation (002).
@Suite struct MeetingReadinessTests {
    func topic(_ status: String, publicService: Bool = false) -> Topic {
        var topic = Topic(id: "topic/HL3-01-2026-0001")
        topic.status = status
        topic.publicService = publicService
        return topic
    }

    func opinion(answered: Bool) -> StreetOpinion {
        var opinion = StreetOpinion(id: "opinion/HL3-01-2026-Q001")
        opinion.askedOn = LocalDate("2026-11-02")
        if answered { opinion.answer = "同意" }
        return opinion
    }

    @Test func aTopicIsConfirmedBeforeItsFirstMeeting() {
        let seed = MeetingReadiness(confirmBeforeMeeting: true)
        for status in ["raised", "classified"] {
            let problem = seed.problem(topic(status), opinions: [])
            #expect(problem?.description.contains("还没有经两委联席会议确定") == true)
            #expect(problem?.text(at: .desk).contains("记录两委联席会议") == true)
            #expect(problem?.description.contains("yishi joint hold") == true)
        }
        for status in ["confirmed", "deliberating", "reopened", "escalated", "mediation-failed"] {
            #expect(seed.problem(topic(status), opinions: []) == nil, "\(status)")
        }
    }

    @Test func aCommunityWithoutJointMeetingsForSmallMattersSaysSo() {
        let small = MeetingReadiness(confirmBeforeMeeting: false)
        #expect(small.problem(topic("raised"), opinions: []) == nil)
        // Set aside is a decision, not an omission: it holds either way.
        #expect(small.problem(topic("set-aside"), opinions: []) != nil)
    }

    @Test func publicServicesWaitForTheStreetsAnswer() {
        let seed = MeetingReadiness(confirmBeforeMeeting: true)
        let notAsked = seed.problem(topic("confirmed", publicService: true), opinions: [])
        #expect(notAsked?.description.contains("yishi topic ask-street") == true)
        let waiting = seed.problem(topic("confirmed", publicService: true), opinions: [opinion(answered: false)])
        #expect(waiting?.description.contains("街道尚未答复") == true && waiting?.description.contains("Q001") == true)
        #expect(seed.problem(topic("confirmed", publicService: true), opinions: [opinion(answered: false), opinion(answered: true)]) == nil)
    }
}

@Suite struct AssemblyVoteTests {
    /// Half is not more than half: 900 of 1,800 present is no quorum, 901 is.
    @Test func theQuorumIsMoreThanHalfOfThoseEntitled() {
        #expect(AssemblyVote(entitled: 1800, attended: 900, inFavour: 900, against: 0, abstained: 0).outcome == .noQuorum)
        #expect(AssemblyVote(entitled: 1800, attended: 901, inFavour: 901, against: 0, abstained: 0).outcome == .passed)
        #expect(AssemblyVote(entitled: 7, attended: 3, inFavour: 3, against: 0, abstained: 0).outcome == .noQuorum)
        #expect(AssemblyVote(entitled: 7, attended: 4, inFavour: 4, against: 0, abstained: 0).outcome == .passed)
    }

    /// And a decision is more than half of those present: 500 of 1,000 is rejected.
    @Test func aDecisionIsMoreThanHalfOfThosePresent() {
        #expect(AssemblyVote(entitled: 1800, attended: 1000, inFavour: 500, against: 500, abstained: 0).outcome == .rejected)
        #expect(AssemblyVote(entitled: 1800, attended: 1000, inFavour: 501, against: 400, abstained: 99).outcome == .passed)
        // Abstaining and not voting count against, as with the committee.
        #expect(AssemblyVote(entitled: 1800, attended: 1000, inFavour: 450, against: 100, abstained: 0).outcome == .rejected)
    }

    @Test func aCommunitysOwnSharesApply() {
        let twoThirds = AssemblyVote(entitled: 300, attended: 200, inFavour: 140, against: 60, abstained: 0, quorumPercent: 50, majorityPercent: 66)
        #expect(twoThirds.outcome == .passed)
        #expect(AssemblyVote(entitled: 300, attended: 200, inFavour: 132, against: 68, abstained: 0, quorumPercent: 50, majorityPercent: 66).outcome == .rejected)
    }

    @Test func impossibleCountsAreRefusedWithTheirField() {
        #expect(throws: RuleViolation("应到人数应大于 0。", field: "entitled")) {
            try AssemblyVote(entitled: 0, attended: 0, inFavour: 0, against: 0, abstained: 0).check()
        }
        let tooMany = #expect(throws: RuleViolation.self) { try AssemblyVote(entitled: 100, attended: 101, inFavour: 0, against: 0, abstained: 0).check() }
        #expect(tooMany?.field == "attended")
        let votes = #expect(throws: RuleViolation.self) { try AssemblyVote(entitled: 100, attended: 60, inFavour: 40, against: 30, abstained: 0).check() }
        #expect(votes?.field == "inFavour")
    }

    /// The law, over every count: passing needs both strict majorities, in whole numbers.
    @Test func passingIsBothStrictMajorities() async {
        await propertyCheck(count: 2000, input: Gen.int(in: 1...3000), Gen.int(in: 0...3000), Gen.int(in: 0...3000)) { entitled, attended, favour in
            let present = min(attended, entitled), yes = min(favour, present)
            let vote = AssemblyVote(entitled: entitled, attended: present, inFavour: yes, against: present - yes, abstained: 0)
            #expect(vote.hasQuorum == (2 * present > entitled))
            #expect((vote.outcome == .passed) == (2 * present > entitled && 2 * yes > present))
        }
    }
}

@Suite struct MajorMatterTests {
    let day = LocalDate("2026-11-10")!

    func through(_ count: Int) -> MajorMatter {
        var major = MajorMatter(id: "major/HL3-01-2026-Z001")
        for (index, step) in MajorMatter.steps.prefix(count).enumerated() {
            major.stepDates[step] = LocalDate(dayNumber: day.dayNumber + index)
        }
        return major
    }

    @Test func theFiveStepsGoInOrderAndNoneIsSkipped() throws {
        for taken in 0..<5 {
            let major = through(taken)
            #expect(major.nextStep == MajorMatter.steps[taken])
            try major.checkStep(MajorMatter.steps[taken], on: LocalDate(dayNumber: day.dayNumber + taken))
            for (index, step) in MajorMatter.steps.enumerated() where index != taken {
                #expect(throws: RuleViolation.self, "\(step) after \(taken) steps") { try major.checkStep(step, on: LocalDate(dayNumber: day.dayNumber + 9)) }
            }
        }
        #expect(through(5).nextStep == nil)
        #expect(throws: RuleViolation.self) { try through(0).checkStep("党委会议", on: day) }
    }

    @Test func aStepIsNotDatedBeforeTheOneBefore() {
        let early = #expect(throws: RuleViolation.self) { try through(1).checkStep("班子商议", on: LocalDate(dayNumber: day.dayNumber - 1)) }
        #expect(early?.field == "date")
    }

    @Test func filingFollowsTheFiveStepsAndTheFirstPublicationFollowsFiling() throws {
        #expect(throws: RuleViolation.self) { try through(4).checkFiling(on: day, resolution: "决议") }
        #expect(throws: RuleViolation.self) { try through(5).checkFiling(on: LocalDate("2026-11-20")!, resolution: "  ") }
        try through(5).checkFiling(on: LocalDate("2026-11-20")!, resolution: "决议")
        var major = through(5)
        #expect(throws: RuleViolation("决议须先报街道党工委备案，才能向居民公开。")) { try major.checkPublication(resolution: true, on: day, outcome: nil) }
        major.filedOn = LocalDate("2026-11-20")
        #expect(throws: RuleViolation.self) { try major.checkPublication(resolution: false, on: LocalDate("2026-11-21")!, outcome: "已完成") }
        #expect(throws: RuleViolation.self) { try major.checkPublication(resolution: true, on: LocalDate("2026-11-19")!, outcome: nil) }
        // Filed but not yet signed for by the street: not yet (集体决议 → 备案 → 两公开).
        #expect(throws: RuleViolation.self) { try major.checkPublication(resolution: true, on: LocalDate("2026-11-21")!, outcome: nil) }
        major.acknowledgedOn = LocalDate("2026-11-21")
        try major.checkPublication(resolution: true, on: LocalDate("2026-11-21")!, outcome: nil)
        major.resolutionPublishedOn = LocalDate("2026-11-21")
        #expect(throws: RuleViolation.self) { try major.checkPublication(resolution: false, on: LocalDate("2026-12-01")!, outcome: "") }
        try major.checkPublication(resolution: false, on: LocalDate("2026-12-01")!, outcome: "已完成")
        #expect(major.stage == "决议已公开，待公开实施结果")
    }
}

@Suite struct MediationRuleTests {
    @Test func eachOutcomeSaysWhatItNeeds() throws {
        #expect(throws: RuleViolation.self) { try Mediation.checkOutcome("和解", agreement: nil, transferredTo: nil) }
        let terms = #expect(throws: RuleViolation.self) { try Mediation.checkOutcome("化解", agreement: " ", transferredTo: nil) }
        #expect(terms?.field == "agreement")
        let whom = #expect(throws: RuleViolation.self) { try Mediation.checkOutcome("转交", agreement: nil, transferredTo: nil) }
        #expect(whom?.field == "transferredTo")
        try Mediation.checkOutcome("化解", agreement: "楼上修复防水", transferredTo: nil)
        try Mediation.checkOutcome("转交", agreement: nil, transferredTo: "区人民法院")
        try Mediation.checkOutcome("未化解", agreement: nil, transferredTo: nil)
        #expect(Mediation.topicStatus(after: "化解") == "mediated")
        #expect(Mediation.topicStatus(after: "转交") == "transferred")
        #expect(Mediation.topicStatus(after: "未化解") == "mediation-failed")
        #expect(!Topic.isOpen(status: "transferred") && Topic.isOpen(status: "mediation-failed"))
    }

    /// The seeds' own figure: 5,012 of 5,077 disputes resolved is 98.7 %.
    @Test func theResolutionRateIsTheSeeds() {
        #expect(DisputeFigures(found: 5077, resolved: 5012).rate == "98.7%")
        #expect(DisputeFigures(found: 0, resolved: 0).rate == "—", "no dispute, no rate")
    }

    @Test func aTopicIsADisputeByCategoryOrByMark() {
        var topic = Topic(id: "topic/HL3-01-2026-0001")
        #expect(!topic.isDispute)
        topic.category = "邻里及家庭纠纷"
        #expect(topic.isDispute)
        topic.category = "居民急难愁盼问题"
        topic.dispute = true
        #expect(topic.isDispute)
    }
}
