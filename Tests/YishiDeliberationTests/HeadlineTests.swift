import Foundation
import PropertyBased
import Testing
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore
import YishiTestSupport

/// The residents' board counts its headline figures from the records it has read for its
/// lists (`Statistics.headline`); they must be the very figures the office and `yishi stats`
/// compute (`statistics(from:to:)`), whatever the statuses, dates and period.
@Suite struct HeadlineTests {
    static let statuses = ["raised", "classified", "confirmed", "deliberating", "implementing", "evaluating", "closed", "closed",
                           "invalid", "withdrawn", "escalated"]

    @Test func theBoardsFiguresAreTheStatisticsFigures() async throws {
        let folder = TemporaryDirectory()
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            let replica = try Replica.create(at: DataDirectory(folder.path("HL3-\(seed)")), replica: "HL3-01", community: "HL3")
            let wall = WallTime(milliseconds: 1_763_800_000_000)
            var edits: [LocalEdit] = []
            func set(_ record: String, _ field: String, _ value: String) -> LocalEdit {
                LocalEdit(record: record, field: field, change: .write(value))
            }
            func day() -> String { LocalDate(dayNumber: LocalDate("2025-01-01")!.dayNumber + Int.random(in: 0..<700, using: &random)).description }
            for index in 0..<Int.random(in: 0..<60, using: &random) {
                let id = "topic/HL3-01-2026-\(index)"
                edits += [set(id, "title", "议题 \(index)"), set(id, "status", Self.statuses.randomElement(using: &random)!)]
                // Now and then a topic without its date, as an old import might hold.
                if Int.random(in: 0..<10, using: &random) > 0 { edits.append(set(id, "raisedOn", day())) }
            }
            for index in 0..<Int.random(in: 0..<12, using: &random) {
                let id = "meeting/HL3-01-2026-H\(index)"
                edits += [set(id, "form", "居民议事会"), set(id, "time", "\(day()) 14:30")]
            }
            if !edits.isEmpty { try replica.edit(edits, author: "测试", at: wall) }
            let loop = Deliberation(replica: replica, rules: CommunityRules(), now: { LocalDateTime("2026-12-01 09:00")! })
            let periods: [(LocalDate?, LocalDate?)] = [(nil, nil), (LocalDate("2026-01-01"), LocalDate("2026-12-01")),
                                                       (LocalDate("2025-03-01"), LocalDate("2025-09-30")), (nil, LocalDate("2025-06-30"))]
            for (from, to) in periods {
                let full = try loop.statistics(from: from, to: to)
                let headline = Statistics.headline(topics: try loop.topicsForBoard(), meetings: try loop.meetingsForBoard(), from: from, to: to)
                #expect(headline.raised == full.raised && headline.solved == full.solved && headline.meetings == full.meetings,
                        "period \(String(describing: from))–\(String(describing: to))")
                #expect(headline.resolutionRate == full.resolutionRate)
            }
        }
    }
}
