import Hummingbird
import YishiDesk
import YishiLoopPages

/// 统计 at the station: this community's figures for a period, charts and the CSV.
extension StationDesk {
    func addStatsRoutes(_ router: Router<Context>) {
        page(router, "stats") { request, _, session in
            let query = (try? FormFields(encoded: request.uri.query ?? "")) ?? FormFields()
            let (from, to, problem) = StatsView.period(query)
            let loop = try loop()
            let stats = try loop.statistics(from: from, to: to)
            let topics = try loop.topics().filter { topic in
                guard let raised = topic.raisedOn else { return from == nil && to == nil }
                return (from.map { $0 <= raised } ?? true) && (to.map { raised <= $0 } ?? true)
            }
            return try show("stats", title: "统计", session: session, current: "/stats", request: request,
                            StatsView(path: "/stats", query: query, problem: problem, figures: StatsView.figures(stats),
                                      charts: StatsView.charts(stats, topics: topics)))
        }
        page(router, "stats.csv") { request, _, _ in
            let query = (try? FormFields(encoded: request.uri.query ?? "")) ?? FormFields()
            let (from, to, _) = StatsView.period(query)
            let stats = try loop().statistics(from: from, to: to)
            return StatsView.csv([["指标", "项目", "数值"]] + StatsView.csvRows(stats), name: "yishi-stats", from: from, to: to)
        }
    }
}
