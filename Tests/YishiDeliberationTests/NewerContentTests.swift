import Foundation
import Testing
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore
import YishiTestSupport

/// What a newer build wrote that this build's model does not know is shown as newer
/// content, not hidden; the fields this build knows read as always.
@Suite struct NewerContentTests {
    @Test func whatANewerBuildWroteIsShownOnTheTopicAndItsLoop() throws {
        let folder = TemporaryDirectory()
        let replica = try Replica.create(at: DataDirectory(folder.path("HL3-01")), replica: "HL3-01", community: "HL3")
        let loop = Deliberation(replica: replica, rules: CommunityRules(), now: { LocalDateTime("2026-11-02 09:00")! })
        let id = try loop.raise(TopicDraft(title: "北门门禁", description: "", channel: "说事点", proposer: Proposer()), by: "王芳")
        let topic = "topic/\(referenceOf(id))", meeting = "meeting/HL3-01-2026-H001"
        try replica.edit([LocalEdit(record: topic, field: "meetings", change: .add(meeting)),
                          LocalEdit(record: meeting, field: "topics", change: .add(topic))], author: "王芳", at: WallTime(milliseconds: 1_763_800_000_000))
        #expect(try loop.topic(id)?.newerContent == [])
        #expect(try loop.newerContent(around: #require(try loop.topic(id))) == [])

        // What a newer build writes: a field it added, and choices it added to vocabularies.
        try replica.edit([
            LocalEdit(record: topic, field: "satisfactionSurvey", change: .write("已发放")),
            LocalEdit(record: topic, field: "category", change: .write("社区安全")),
            LocalEdit(record: meeting, field: "ballots", change: .entry(key: "\(topic)|member/HL3-01-2026-M001", value: "原则同意")),
        ], author: "新版本", at: WallTime(milliseconds: 1_763_800_100_000))
        let shown = try #require(try loop.topic(id))
        #expect(shown.newerContent == ["类别“社区安全”", "satisfactionSurvey"])
        #expect(shown.title == "北门门禁" && shown.category == "社区安全")
        #expect(try loop.meeting(meeting)?.newerContent == ["表决“原则同意”"])
        #expect(try loop.newerContent(around: shown) == ["类别“社区安全”", "satisfactionSurvey", "会议 HL3-01-2026-H001：表决“原则同意”"])

        // Once a person classifies it with a choice this build knows, the notice on the
        // category goes: a register shows what was written last.
        try loop.classify(id, handling: "待办", category: "邻里及家庭纠纷", by: "王芳")
        #expect(try loop.topic(id)?.newerContent == ["satisfactionSurvey"])
    }
}

/// The per-topic meeting outcome, the first additive change in the field: a station on the
/// older build closes one topic of a meeting the old way (one `outcome` register naming
/// it), a station on the newer build closes another the new way (the `outcomes` entry).
/// Their ops meet at each other (and at a third replica standing for the central): all
/// agree on the digest, and the newer build reads each topic's own outcome.
@Suite struct OlderAndNewerBuildsOnOneMeetingTests {
    @Test func bothWaysOfRecordingAnOutcomeConverge() throws {
        let folder = TemporaryDirectory()
        let wall = WallTime(milliseconds: 1_763_800_000_000)
        let older = try Replica.create(at: DataDirectory(folder.path("HL3-01")), replica: "HL3-01", community: "HL3")
        let newer = try Replica.create(at: DataDirectory(folder.path("HL3-02")), replica: "HL3-02", community: "HL3")
        let central = try Replica.create(at: DataDirectory(folder.path("central")), replica: "central", community: "central")
        let meeting = "meeting/HL3-01-2026-H001"
        let first = "topic/HL3-01-2026-0001", second = "topic/HL3-01-2026-0002"
        let shared = try older.edit([
            LocalEdit(record: meeting, field: "topics", change: .add(first)), LocalEdit(record: meeting, field: "topics", change: .add(second)),
        ], author: "王芳", at: wall)
        #expect(try newer.receive(shared).applied == 2)
        let old = try older.edit([LocalEdit(record: meeting, field: "outcome", change: .write("HL3-01-2026-0001：达成共识"))],
                                 author: "王芳", at: wall)
        let new = try newer.edit([LocalEdit(record: meeting, field: "outcomes", change: .entry(key: second, value: "未达成共识，转入下一轮协商"))],
                                 author: "李强", at: wall)
        try newer.receive(old)
        try older.receive(new)
        try central.receive(shared + new + old)
        #expect(try older.digest() == newer.digest() && central.digest() == newer.digest())
        for replica in [older, newer, central] {
            let loop = Deliberation(replica: replica, rules: CommunityRules(), now: { LocalDateTime("2026-11-06 16:00")! })
            let shown = try #require(try loop.meeting(meeting))
            #expect(shown.outcome(for: first) == "达成共识")
            #expect(shown.outcome(for: second) == "未达成共识，转入下一轮协商")
        }
        // Until it is upgraded, the older build reads the newer way as newer content (its model,
        // the first revision, lacks `outcomes`); the newer build reads the same fields as its own.
        let fields = try older.fields(ofRecord: meeting)
        let values: (String) -> [String] = { name in fields[name]?.values.values.flatMap { $0.compactMap(\.content) } ?? [] }
        #expect(Schema.newerContent(ofRecord: meeting, fields: fields.keys, values: values, in: Schema.types(asOfRevision: 0)) == ["outcomes"])
        #expect(Schema.newerContent(ofRecord: meeting, fields: fields.keys, values: values).isEmpty)
    }
}
