import Foundation
import Testing
import YishiCentral
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore
import YishiTestSupport
@testable import YishiOfficeDesk

/// 上报件 keeps every community's escalations between requests; whatever is written in
/// between (a station's new escalation arriving, the office recording an answer), what the
/// cache gives is what the records hold now.
@Suite struct EscalationsCacheTests {
    let folder = TemporaryDirectory()
    static let today = LocalDateTime("2026-11-20 09:00")!

    /// A topic raised and escalated at the community's station, delivered to the central
    /// as a bundle would deliver it.
    func escalate(_ desk: OfficeDesk, _ community: String, level: String) throws {
        let directory = DataDirectory(folder.path("\(community)-01"))
        let station = FileManager.default.fileExists(atPath: directory.url.path)
            ? try Replica.open(directory) : try Replica.create(at: directory, replica: "\(community)-01", community: community)
        let loop = Deliberation(replica: station, rules: CommunityRules(), now: { Self.today })
        let topic = try loop.raise(TopicDraft(title: "\(community) 事项", description: "", channel: "说事点", proposer: Proposer(name: "居民")),
                                   by: "测试")
        _ = try loop.escalate(topic, level: level, department: "城管科", reason: "社区无权处理", deadline: nil, by: "测试")
        // Delivered as a push delivers them (who signed them is not what these tests are about).
        _ = try desk.central.replica.receive(try station.opLines().map { try OpCodec.decode(Array($0.utf8)) })
    }

    /// What the page would show without the cache: every escalation read from the records now.
    func fresh(_ desk: OfficeDesk, _ community: String? = nil) throws -> [String: Bool] {
        let all = try desk.loop(community).escalations().filter { Vocabulary.escalationLevels.contains($0.level ?? "") }
        return Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.isAnswered) })
    }

    func cached(_ desk: OfficeDesk, _ community: String? = nil) throws -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: try desk.escalationsCache.escalations(desk, community: community).map { ($0.escalation.id, $0.isAnswered) })
    }

    @Test func keptEscalationsFollowEveryWrite() throws {
        let node = try CentralNode.create(at: DataDirectory(folder.path("central")))
        let desk = try OfficeDesk(node: node, now: { Self.today })
        var generator = SplitMix(seed: 7)
        let communities = ["HL3", "DSF", "QYL"]
        for round in 0..<12 {
            let community = communities[Int(generator.next() % 3)]
            if round % 3 == 2, let waiting = try desk.loop(community).escalations().first(where: { !$0.isAnswered }) {
                // The office records a department's answer, as the form does.
                try desk.loop(community).respond(waiting.reference, reportedOn: Self.today.date, response: "已处理", by: "街道李")
            } else {
                try escalate(desk, community, level: round % 2 == 0 ? "街道" : "区")
            }
            #expect(try cached(desk) == fresh(desk), "第 \(round) 轮")
            #expect(try cached(desk, community) == fresh(desk, community), "第 \(round) 轮，社区 \(community)")
        }
        #expect(try fresh(desk).values.contains(true))
    }

    /// The page's order: overdue first, then by deadline, an escalation without one last
    /// among its kind. The kept rows sort by day numbers; this is the order the page had
    /// when it compared the deadlines' text ("2026-11-20" < "未定"), on random escalations.
    @Test(arguments: 0..<20) func urgencyOrdersAsTheDeadlinesTextDid(seed: UInt64) {
        var generator = SplitMix(seed: seed)
        let today = LocalDate(year: 2026, month: 11, day: 20)
        let kept = (0..<200).map { index in
            var escalation = Escalation(id: "escalation/HL3-01-2026-\(index)")
            if generator.next() % 5 != 0 { escalation.deadline = LocalDate(dayNumber: today.dayNumber + Int(generator.next() % 61) - 30) }
            if generator.next() % 3 == 0 { escalation.response = "已处理" }
            return EscalationsCache.Kept(escalation)
        }
        func textKey(_ escalation: Escalation) -> (Int, String) {
            (Deadline.isOverdue(escalation.deadline, done: escalation.isAnswered, today: today) ? 0 : 1, escalation.deadline?.description ?? "未定")
        }
        let byDays = kept.map { ($0.urgency(today: today), $0.escalation) }
        for (first, second) in zip(byDays, byDays.dropFirst()) {
            #expect((first.0 < second.0) == (textKey(first.1) < textKey(second.1)), "\(first.1.id) \(second.1.id)")
            #expect((first.0 == second.0) == (textKey(first.1) == textKey(second.1)))
        }
    }
}
