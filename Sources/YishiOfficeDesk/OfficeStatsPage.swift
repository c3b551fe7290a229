import Foundation
import Hummingbird
import YishiHTTP
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiModel

/// 统计 at the office: the street's figures for a period — the sum over communities, a
/// row per community, charts comparing them — and the CSV for the monthly report to the
/// district, with every community's figures as `yishi stats` gives them.
extension OfficeDesk {
    /// Every community's figures for the period (this year's from the cache).
    func periodFigures(from: LocalDate, to: LocalDate) throws -> [(String, CommunityFigures)] {
        let today = now().date
        if from == LocalDate(year: today.year, month: 1, day: 1), to == today {
            // This year: the overview's figures, versions and conflicts read once for all.
            return try figuresCache.figures(self, today: today).sorted { $0.key < $1.key }.compactMap { name, figures in figures.map { (name, $0) } }
        }
        let conflicts = try central.replica.conflictCountsByScope()
        return try communities().map { ($0, try CommunityFigures(loop($0), from: from, to: to, conflicts: conflicts[$0] ?? 0)) }
    }

    /// The street's totals: counts add up; rates and days are recomputed from the sums.
    static func totals(_ all: [CommunityFigures]) -> [(String, String)] {
        let raised = all.reduce(0) { $0 + $1.stats.raised }
        let solved = all.reduce(0) { $0 + $1.stats.solved }
        let satisfied = all.reduce(0) { $0 + $1.satisfied }
        let rated = all.reduce(0) { $0 + $1.rated }
        let disputes = all.reduce(0) { $0 + $1.stats.disputes.found }
        let resolved = all.reduce(0) { $0 + $1.stats.disputes.resolved }
        let withDays = all.filter { $0.stats.averageDaysToResolution != nil }
        let closedCount = withDays.reduce(0) { $0 + $1.stats.solved }
        let days = withDays.reduce(0.0) { $0 + ($1.stats.averageDaysToResolution ?? 0) * Double($1.stats.solved) }
        return [
            ("社区", "\(all.count) 个"), ("登记议题", "\(raised) 件"), ("已办结", "\(solved) 件"), ("办结率", Percent.text(solved, of: raised)),
            ("召开会议", "\(all.reduce(0) { $0 + $1.stats.meetings }) 次"),
            ("平均办结天数", closedCount == 0 ? Percent.none : String(format: "%.1f 天", days / Double(closedCount))),
            ("满意率（基本满意以上）", Percent.text(satisfied, of: rated)),
            ("超期未办", "\(all.reduce(0) { $0 + $1.stats.overdue.count }) 件"),
            ("待街道办理的上报件", "\(all.reduce(0) { $0 + $1.streetWaiting }) 件"),
            ("纠纷", "\(disputes) 件"), ("调解化解", "\(resolved) 件"), ("化解率", Percent.text(resolved, of: disputes)),
        ]
    }

    static let lineHeadings = ["登记", "办结", "办结率", "会议", "满意率", "超期未办", "待街道办理", "纠纷", "化解", "化解率"]

    static func cells(_ figures: CommunityFigures) -> [String] {
        [String(figures.stats.raised), String(figures.stats.solved), figures.stats.resolutionRate, String(figures.stats.meetings),
         figures.satisfaction, String(figures.stats.overdue.count), String(figures.streetWaiting),
         String(figures.stats.disputes.found), String(figures.stats.disputes.resolved), figures.stats.disputes.rate]
    }

    func addStatsRoutes(_ router: Router<YishiRequestContext>) {
        routes.page(router, "office/stats") { request, _, session in
            let query = (try? FormFields(encoded: request.uri.query ?? "")) ?? FormFields()
            let (from, to, problem) = CommunityPage.period(query, today: now().date)
            let all = try periodFigures(from: from, to: to)
            // The thirty communities with most topics, so a district's chart stays legible.
            let largest = all.sorted { $0.1.stats.raised > $1.1.stats.raised }.prefix(30)
            let charts = [
                BarChart(title: "各社区登记的议题（最多的 30 个）", bars: largest.map { .init(label: $0.0, value: $0.1.stats.raised) }),
                BarChart(title: "各社区办结率（%）", bars: largest.map {
                    .init(label: $0.0, value: ($0.1.stats.resolutionPerMille ?? 0) / 10, valueText: $0.1.stats.resolutionRate)
                }, maximum: 100),
                BarChart(title: "各社区超期未办", bars: all.filter { !$0.1.stats.overdue.isEmpty }.sorted { $0.1.stats.overdue.count > $1.1.stats.overdue.count }
                    .prefix(30).map { .init(label: $0.0, value: $0.1.stats.overdue.count) }),
            ].filter { !$0.bars.isEmpty }
            var shown = query
            shown.setDefault("from", from.description)
            shown.setDefault("to", to.description)
            let page = StatsView(
                heading: "统计（全部社区）", path: "/office/stats", query: shown, problem: problem,
                figures: Self.totals(all.map(\.1)), charts: charts, lineHeadings: Self.lineHeadings,
                lines: all.map { .init(community: $0.0, href: "/office/communities/\($0.0)?" + FormFields.query([("from", from.description), ("to", to.description)]),
                                       cells: Self.cells($0.1)) })
            return try routes.show("stats", title: "统计", session: session, current: "/office/stats", request: request, page)
        }
        routes.page(router, "office/stats.csv") { request, _, _ in
            let query = (try? FormFields(encoded: request.uri.query ?? "")) ?? FormFields()
            let (from, to, _) = CommunityPage.period(query, today: now().date)
            let all = try periodFigures(from: from, to: to)
            var rows = [["社区", "指标", "项目", "数值"]]
            rows += Self.totals(all.map(\.1)).map { ["全部社区", "汇总", $0.0, $0.1] }
            for (community, figures) in all {
                rows += StatsView.csvRows(figures.stats).map { [community] + $0 }
                rows += [[community, "汇总", CommunityPage.satisfactionLabel, figures.satisfaction]]
                rows += CommunityPage.today(figures).map { [community, "今日", $0.0, $0.1] }
            }
            return StatsView.csv(rows, name: "yishi-street-stats", from: from, to: to)
        }
    }
}
