import Foundation
import PropertyBased
import Testing
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore
import YishiTestSupport

/// Figures that cannot contradict themselves: a median is the median, a time to 办结 counts
/// only what was 办结, and a rate or a duration over nothing is no figure at all.
@Suite struct StatisticsLawTests {
    @Test func theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() async {
        #expect(Statistics.median([19, 26]) == 22.5)
        #expect(Statistics.median([26, 3, 19]) == 19)
        #expect(Statistics.median([]) == nil)
        #expect(Statistics.days(22.5) == "22.5 天" && Statistics.days(26) == "26 天" && Statistics.days(nil) == "—")
        await propertyCheck(count: 300, input: Gen.int(in: 0...400).array(of: 1...40)) { values in
            let median = try #require(Statistics.median(values))
            let sorted = values.sorted()
            // As many values lie at or below it as at or above it, and it lies between them.
            #expect(sorted.filter { Double($0) <= median }.count * 2 >= values.count)
            #expect(sorted.filter { Double($0) >= median }.count * 2 >= values.count)
            #expect(Double(sorted.first!) <= median && median <= Double(sorted.last!))
            #expect(Statistics.median(values.shuffled()) == median)
        }
    }

    @Test func aShareOfNothingIsNoShare() {
        #expect(Percent.text(0, of: 0) == "—" && Percent.perMille(0, of: 0) == nil)
        #expect(Percent.text(0, of: 3) == "0.0%" && Percent.text(1_760, of: 1_800) == "97.8%")
        #expect(DisputeFigures(found: 0, resolved: 0).rate == "—")
        #expect(SatisfactionAssessment(ratings: [], percent: 80).rateText == "—")
    }

    static let statuses = ["raised", "classified", "deliberating", "implementing", "closed", "closed", "rejected", "withdrawn",
                           "transferred", "invalid", "mediated"]

    /// Any set of topics and any period: a rate is given exactly when there is something to
    /// rate, and a time to 办结 exactly when something was 办结 with its dates.
    @Test func noFigureIsGivenForAnEmptySet() async throws {
        let folder = TemporaryDirectory()
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            let replica = try Replica.create(at: DataDirectory(folder.path("HL3-\(seed)")), replica: "HL3-01", community: "HL3")
            func day(_ from: Int = 0) -> LocalDate { LocalDate(dayNumber: LocalDate("2026-01-01")!.dayNumber + from + Int.random(in: 0..<200, using: &random)) }
            var edits: [LocalEdit] = []
            for index in 0..<Int.random(in: 0..<25, using: &random) {
                let id = "topic/HL3-01-2026-\(index)"
                let status = Self.statuses.randomElement(using: &random)!
                let raised = day()
                edits += [.init(record: id, field: "title", change: .write("议题 \(index)")),
                          .init(record: id, field: "status", change: .status(StatusValue(name: status, rank: Workflow.topic.status(status)!.rank,
                                                                                          branch: Workflow.topic.status(status)!.branch))),
                          .init(record: id, field: "raisedOn", change: .write(raised.description))]
                if !Topic.isOpen(status: status) || Bool.random(using: &random) {
                    edits.append(.init(record: id, field: "closedOn", change: .write(LocalDate(dayNumber: raised.dayNumber + Int.random(in: 0..<60, using: &random)).description)))
                }
                if Int.random(in: 0..<3, using: &random) == 0 { edits.append(.init(record: id, field: "dispute", change: .write("是"))) }
            }
            if !edits.isEmpty { try replica.edit(edits, author: "测试", at: WallTime(milliseconds: 1_763_800_000_000)) }
            let loop = Deliberation(replica: replica, rules: CommunityRules(), now: { LocalDateTime("2026-12-01 09:00")! })
            for (from, to) in [(nil, nil), (LocalDate("2026-03-01"), LocalDate("2026-04-30")), (LocalDate("2027-01-01"), nil)] as [(LocalDate?, LocalDate?)] {
                let stats = try loop.statistics(from: from, to: to)
                #expect((stats.resolutionPerMille == nil) == (stats.raised == 0))
                #expect((stats.resolutionRate == "—") == (stats.raised == 0))
                #expect((stats.disputes.rate == "—") == (stats.disputes.found == 0))
                #expect((stats.averageDaysToResolution == nil) == (stats.solved == 0))
                #expect((stats.medianDaysToResolution == nil) == (stats.solved == 0))
                if let average = stats.averageDaysToResolution, let median = stats.medianDaysToResolution {
                    #expect(average >= 0 && median >= 0)
                }
            }
        }
    }
}
