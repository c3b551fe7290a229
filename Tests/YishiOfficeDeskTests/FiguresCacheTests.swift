import Foundation
import Testing
import YishiCentral
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore
import YishiTestSupport
@testable import YishiOfficeDesk

/// The overview's figures are kept between requests; these tests hold the cache to its
/// promise: what it gives is what the loop computes from the records now, whatever was
/// written since, and a request with a time budget shows the rest as pending rather than
/// anything stale.
@Suite struct FiguresCacheTests {
    let folder = TemporaryDirectory()
    static let today = LocalDateTime("2026-11-20 09:00")!

    func central() throws -> (CentralNode, OfficeDesk) {
        let node = try CentralNode.create(at: DataDirectory(folder.path("central")))
        return (node, try OfficeDesk(node: node, now: { Self.today }))
    }

    /// Topics raised at the community's station and delivered to the central as a sync
    /// (or a bundle) would deliver them.
    func raise(_ desk: OfficeDesk, _ community: String, _ count: Int) throws {
        let directory = DataDirectory(folder.path("\(community)-01"))
        let station = FileManager.default.fileExists(atPath: directory.url.path)
            ? try Replica.open(directory) : try Replica.create(at: directory, replica: "\(community)-01", community: community)
        let loop = Deliberation(replica: station, rules: CommunityRules(), now: { Self.today })
        for index in 0..<count {
            _ = try loop.raise(TopicDraft(title: "\(community) 事项 \(index)", description: "", channel: "说事点", proposer: Proposer(name: "居民")),
                               by: "测试")
        }
        // Delivered as a push delivers them (who signed them is not what these tests are about).
        _ = try desk.central.replica.receive(try station.opLines().map { try OpCodec.decode(Array($0.utf8)) })
    }

    /// The figures the loop computes right now, for comparison.
    func fresh(_ desk: OfficeDesk, _ community: String) throws -> Int {
        try desk.loop(community).statistics(from: LocalDate(year: 2026, month: 1, day: 1), to: Self.today.date).raised
    }

    @Test func cachedFiguresFollowEveryWrite() throws {
        let (_, desk) = try central()
        try raise(desk, "HL3", 2)
        try raise(desk, "DSF", 1)
        var figures = try desk.figuresCache.figures(desk, today: Self.today.date)
        #expect(figures.mapValues { $0?.stats.raised } == ["HL3": 2, "DSF": 1])
        // A topic written after the figures were kept: the next read has it, in both reads.
        try raise(desk, "HL3", 1)
        figures = try desk.figuresCache.figures(desk, today: Self.today.date)
        let computed = try fresh(desk, "HL3")
        #expect(figures["HL3"]??.stats.raised == 3 && computed == 3)
        let one = try desk.figuresCache.figures(desk, community: "HL3", from: LocalDate(year: 2026, month: 1, day: 1), to: Self.today.date,
                                                today: Self.today.date)
        #expect(one.stats.raised == 3 && one.open == 3)
    }

    @Test func anotherPeriodKeptFollowsEveryWrite() throws {
        let (_, desk) = try central()
        let from = LocalDate(year: 2026, month: 2, day: 1)
        func period() throws -> Int {
            try desk.figuresCache.figures(desk, community: "HL3", from: from, to: Self.today.date, today: Self.today.date).stats.raised
        }
        try raise(desk, "HL3", 2)
        #expect(try period() == 2)
        #expect(try period() == 2)
        // Written after the period's figures were kept: the next look has it.
        try raise(desk, "HL3", 1)
        #expect(try period() == 3)
        #expect(try desk.loop("HL3").statistics(from: from, to: Self.today.date).raised == 3)
        // Another community's write leaves the kept figures as they are, and right.
        try raise(desk, "DSF", 1)
        #expect(try period() == 3)
    }

    @Test func aRequestOutOfTimeShowsPendingNeverStale() throws {
        let (_, desk) = try central()
        try raise(desk, "HL3", 1)
        try raise(desk, "DSF", 1)
        // No time at all: nothing is computed, everything is pending.
        var figures = try desk.figuresCache.figures(desk, today: Self.today.date, budget: 0)
        #expect(figures.count == 2 && figures.values.allSatisfy { $0 == nil })
        // The background refresh computes them; then the budget does not matter.
        _ = try desk.figuresCache.figures(desk, today: Self.today.date)
        figures = try desk.figuresCache.figures(desk, today: Self.today.date, budget: 0)
        #expect(figures.mapValues { $0?.stats.raised } == ["HL3": 1, "DSF": 1])
        // One community changes: it is pending, not shown with its old figures; the other stays.
        try raise(desk, "DSF", 1)
        figures = try desk.figuresCache.figures(desk, today: Self.today.date, budget: 0)
        #expect(figures["HL3"]??.stats.raised == 1)
        #expect(figures["DSF"]! == nil)
    }

    @Test func aNewDayRecomputes() throws {
        let (node, desk) = try central()
        try raise(desk, "HL3", 1)
        _ = try desk.figuresCache.figures(desk, today: Self.today.date)
        let tomorrow = LocalDate(dayNumber: Self.today.date.dayNumber + 1)
        let later = try OfficeDesk(node: node, now: { LocalDateTime("\(tomorrow) 09:00")! })
        // The same cache asked on the next day: nothing of yesterday's is taken as today's.
        let figures = try desk.figuresCache.figures(later, today: tomorrow, budget: 0)
        #expect(figures["HL3"]! == nil)
    }
}
