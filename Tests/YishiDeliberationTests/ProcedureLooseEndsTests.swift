import Foundation
import Testing
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore
import YishiTestSupport

/// What was decided stays decided under the rules of its day; the street signs for a filing
/// before its resolution is published; two stations' incompatible outcomes are one conflict
/// that a person settles once, everywhere it shows.
@Suite struct ProcedureLooseEndsTests {
    let folder = TemporaryDirectory()

    func loop(_ replica: Replica, _ rules: CommunityRules = CommunityRules(), at time: String = "2026-11-20 10:00") -> Deliberation {
        Deliberation(replica: replica, rules: rules, now: { LocalDateTime(time)! })
    }

    func station(_ name: String) throws -> Replica {
        try Replica.create(at: DataDirectory(folder.path(name)), replica: name, community: "HL3")
    }

    /// A topic sent to the residents' assembly, at `replica`.
    func topicAtTheAssembly(_ replica: Replica, _ title: String) throws -> String {
        let id = try loop(replica).raise(TopicDraft(title: title, description: "", channel: "说事厅", proposer: Proposer(),
                                                     raisedOn: LocalDate("2026-10-01")), by: "王芳")
        try replica.edit([LocalEdit(record: id, field: "status", change: .status(StatusValue(name: "assembly", rank: 50, branch: "assembly")))],
                         author: "王芳", at: WallTime(milliseconds: 1_763_000_000_000))
        return referenceOf(id)
    }

    @Test func anAssemblyIsJudgedByTheQuorumOfItsDay() throws {
        let replica = try station("HL3-01")
        var strict = CommunityRules()
        strict.assemblyQuorumPercent = 66
        let topic = try topicAtTheAssembly(replica, "加装电梯")
        let draft = AssemblyDraft(date: LocalDate("2026-11-10")!, convenedAs: Vocabulary.assemblyBases[0], entitled: 100, attended: 60,
                                  inFavour: 50, against: 5, abstained: 5)
        let (id, vote) = try loop(replica, strict).recordAssembly(topic, draft, by: "王芳")
        #expect(vote.outcome == .noQuorum)
        for rules in [strict, CommunityRules()] {  // 66 %, then the law's 50 % after rules.toml changed
            let assembly = try #require(try loop(replica, rules).assembly(referenceOf(id)))
            #expect(assembly.vote?.quorumPercent == 66 && assembly.vote?.outcome == .noQuorum)
            let stats = try loop(replica, rules).statistics(from: nil, to: nil)
            #expect(stats.assemblies == 1 && stats.assembliesDecided == 0)
        }
    }

    /// An assembly recorded before the shares were kept on their own: its result says them.
    @Test func anOlderAssemblyIsJudgedByTheSharesItsResultNames() throws {
        let replica = try station("HL3-01")
        let result = "应到 100、实到 60（60.0%，须超过 66%）：未达法定人数"
        try replica.edit([.init(record: "assembly/HL3-01-2026-R001", field: "topic", change: .write("topic/HL3-01-2026-0001")),
                          .init(record: "assembly/HL3-01-2026-R001", field: "date", change: .write("2026-11-10")),
                          .init(record: "assembly/HL3-01-2026-R001", field: "entitled", change: .write("100")),
                          .init(record: "assembly/HL3-01-2026-R001", field: "attended", change: .write("60")),
                          .init(record: "assembly/HL3-01-2026-R001", field: "inFavour", change: .write("50")),
                          .init(record: "assembly/HL3-01-2026-R001", field: "result", change: .write(result))],
                         author: "王芳", at: WallTime(milliseconds: 1_763_000_000_000))
        let assembly = try #require(try loop(replica).assembly("HL3-01-2026-R001"))
        #expect(assembly.vote?.quorumPercent == 66 && assembly.vote?.majorityPercent == 50 && assembly.vote?.hasQuorum == false)
        #expect(JudgedShare.read("应到 1800、实到 950（52.8%，须超过 50%）；赞成 800（赞成占实到 84.2%，须超过 60%）：通过",
                                 after: "须超过 ", occurrence: 1) == 60)
        #expect(JudgedShare.read("须超过 x%", after: "须超过 ") == nil && JudgedShare.read(nil, after: "须超过 ") == nil)
    }

    @Test func theResolutionWaitsForTheStreetsSignature() throws {
        var major = MajorMatter(id: "major/HL3-01-2026-Z001")
        for (index, step) in MajorMatter.steps.enumerated() { major.stepDates[step] = LocalDate("2026-11-0\(index + 1)") }
        major.filedOn = LocalDate("2026-11-08")
        #expect(throws: RuleViolation.self) { try major.checkPublication(resolution: true, on: LocalDate("2026-11-09")!, outcome: nil) }
        do {
            try major.checkPublication(resolution: true, on: LocalDate("2026-11-09")!, outcome: nil)
        } catch {
            #expect(error.message.contains("街道还没有签收") && error.message.contains("集体决议 → 备案 → 两公开"))
        }
        major.acknowledgedOn = LocalDate("2026-11-12")
        #expect(throws: RuleViolation.self) { try major.checkPublication(resolution: true, on: LocalDate("2026-11-10")!, outcome: nil) }
        try major.checkPublication(resolution: true, on: LocalDate("2026-11-12")!, outcome: nil)
    }

    /// Both stations' ops, each to the other.
    func exchange(_ a: Replica, _ b: Replica) throws {
        let fromA = try a.opLines().map { try OpCodec.decode(Array($0.utf8)) }
        let fromB = try b.opLines().map { try OpCodec.decode(Array($0.utf8)) }
        try b.receive(fromA, setting: [:])
        try a.receive(fromB, setting: [:])
    }

    @Test func twoMediationOutcomesAreOneConflictSettledOnce() throws {
        let (a, b) = (try station("HL3-01"), try station("HL3-02"))
        let topic = referenceOf(try loop(a).raise(TopicDraft(title: "楼上漏水", description: "", channel: "说事厅", proposer: Proposer(),
                                                              category: Vocabulary.disputeCategory), by: "王芳"))
        try loop(a).classify(topic, handling: "待办", category: Vocabulary.disputeCategory, dispute: true, by: "王芳")
        let mediation = referenceOf(try loop(a).startMediation(topic, mediator: "李调解", participants: [], by: "王芳"))
        try loop(a).recordMediationSession(mediation, on: LocalDate("2026-11-18")!, summary: "双方各自陈述", by: "王芳")
        try exchange(a, b)
        // Cut off from each other, the two stations close it differently.
        try loop(a).closeMediation(mediation, outcome: "化解", on: LocalDate("2026-11-19")!, agreement: "楼上修好防水，楼下不再追究",
                                   transferredTo: nil, by: "王芳")
        try loop(b, at: "2026-11-20 11:00").closeMediation(mediation, outcome: "未化解", on: LocalDate("2026-11-20")!, agreement: nil,
                                                           transferredTo: nil, by: "李强")
        try exchange(a, b)
        for replica in [a, b] {
            let shown = try #require(try loop(replica).topic(topic))
            #expect(shown.statusText.contains("调解化解") && shown.statusText.contains("调解未成") && shown.statusText.contains("待确认"),
                    "\(shown.statusText)")
            let held = try #require(try loop(replica).mediation(mediation))
            #expect(held.stateText.contains("化解") && held.stateText.contains("未化解") && !held.isResolved)
            #expect(try loop(replica).statistics(from: nil, to: nil).disputes.resolved == 0, "nothing counted 化解 while in dispute")
            let conflicts = try loop(replica).conflicts()
            #expect(conflicts.contains { $0.record.hasPrefix("mediation/") && $0.field == "outcome" })
            let status = try #require(conflicts.first { $0.record.hasPrefix("topic/") && $0.field == "status" })
            #expect(Set(status.sides.compactMap { status.words(of: $0) }) == ["调解化解", "调解未成"], "labels, not names")
        }
        // Settled once at A, on the mediation: the topic's status follows, and B learns it.
        let outcome = try #require(try loop(a).conflicts().first { $0.record.hasPrefix("mediation/") && $0.field == "outcome" })
        let unresolved = try #require(outcome.sides.firstIndex { $0.content == "未化解" })
        try loop(a).resolveConflict(record: outcome.record, field: "outcome", key: "", pick: unresolved + 1, value: nil, by: "王芳")
        try exchange(a, b)
        for replica in [a, b] {
            #expect(try loop(replica).conflicts().filter { $0.record.hasPrefix("mediation/") || $0.record.hasPrefix("topic/") }.isEmpty)
            #expect(try loop(replica).topic(topic)?.status == "mediation-failed")
            #expect(try loop(replica).mediation(mediation)?.stateText == "未化解（2026-11-20）")
        }
    }

    @Test func anAssemblyPassedAndRejectedIsOneConflictAndItsSettlementLeavesNoDateOfClosing() throws {
        let (a, b) = (try station("HL3-01"), try station("HL3-02"))
        let topic = try topicAtTheAssembly(a, "小区停车收费")
        try exchange(a, b)
        let vote = { (inFavour: Int) in
            AssemblyDraft(date: LocalDate("2026-11-15")!, convenedAs: Vocabulary.assemblyBases[0], entitled: 100, attended: 80,
                          inFavour: inFavour, against: 80 - inFavour, abstained: 0)
        }
        _ = try loop(a).recordAssembly(topic, vote(60), by: "王芳")
        _ = try loop(b, at: "2026-11-20 11:00").recordAssembly(topic, vote(20), by: "李强")
        try exchange(a, b)
        let shown = try #require(try loop(a).topic(topic))
        #expect(shown.statusSides.count == 2 && shown.closedOn == nil, "no 办结日期 beside a status that goes on")
        let status = try #require(try loop(a).conflicts().first { $0.record == shown.id && $0.field == "status" })
        let passed = try #require(status.sides.firstIndex { $0.content == "assembly-passed" })
        try loop(a).resolveConflict(record: shown.id, field: "status", key: "", pick: passed + 1, value: nil, by: "王芳")
        try exchange(a, b)
        for replica in [a, b] {
            let settled = try #require(try loop(replica).topic(topic))
            #expect(settled.status == "assembly-passed" && settled.statusSides.isEmpty)
            #expect(try replica.fields(ofRecord: settled.id)["closedOn"]?.resolution(at: "").shown?.content == nil,
                    "the rejection's date is cleared, not merely hidden")
        }
    }
}
