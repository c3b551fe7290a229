import Foundation
import Hummingbird
import YishiHTTP
import YishiCentral
import YishiDeliberation
import YishiDesk
import YishiMerge
import YishiModel

/// 总览: one row per community — this year's topics raised and resolved, open topics,
/// overdue actions, escalations waiting at the street, satisfaction, conflicts — and the
/// health of each of its stations. Any column sorts; a station silent for three days or
/// more is marked.
struct OverviewPage: Sendable {
    struct StationHealth: Sendable {
        var stationID: String
        var lastContact: String
        var silent: Bool
        var lag: Int
        var skew: String
        var revoked: Bool
    }

    struct Row: Sendable {
        var community: String
        var raised: Int
        var solved: Int
        var rate: String
        var open: Int
        var overdueActions: Int
        var streetWaiting: Int
        var satisfaction: String
        var conflicts: Int
        var stations: [StationHealth]
        var anySilent: Bool
        /// Its figures are still being computed (a central that has just started).
        var pending: Bool
    }

    struct Column: Sendable {
        var columnLabel: String
        var columnHref: String
        var sorted: Bool
    }

    var year: Int
    var columns: [Column]
    var rows: [Row]
    var hasRows: Bool
    var pendingCount: Int
    var hasPending: Bool

    static let silentDays = 3

    /// How long a request may spend computing figures before it shows the rest as pending.
    static let budget = 0.15

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>总览 <span class="muted">{{year}} 年</span></h1>
        <p>每个社区一行：今年登记和办结的议题、未办结的议题、超期的落实事项、待街道办理的上报件、满意率、待确认的冲突，以及各站点的同步情况。点表头排序，点社区名查看这个社区。</p>
        {{#hasPending}}<p class="flash" role="status">有 {{pendingCount}} 个社区的数字正在计算（中心刚启动或刚收到大量记录），请稍后<a href="">刷新本页</a>。</p>{{/hasPending}}
        {{#hasRows}}<div class="table-wrap"><table>
          <thead><tr>{{#columns}}<th scope="col"><a href="{{columnHref}}"{{#sorted}} aria-sort="descending"{{/sorted}}>{{columnLabel}}</a></th>{{/columns}}<th scope="col">站点</th></tr></thead>
          <tbody>{{#rows}}<tr><th scope="row"><a href="/office/communities/{{community}}">{{community}}</a>
            {{#anySilent}}<br><span class="tag late">有站点 3 天以上未同步</span>{{/anySilent}}</th>
            {{#pending}}<td colspan="8" class="muted">正在计算…</td>{{/pending}}
            {{^pending}}<td>{{raised}}</td><td>{{solved}}</td><td>{{rate}}</td><td>{{open}}</td><td>{{overdueActions}}</td><td>{{streetWaiting}}</td>
            <td>{{satisfaction}}</td><td>{{conflicts}}</td>{{/pending}}
            <td><ul class="plain">{{#stations}}<li>{{stationID}}：{{#revoked}}<span class="tag">已停用</span>{{/revoked}}{{^revoked}}上次同步 {{lastContact}}{{#silent}} <span class="tag late">未同步</span>{{/silent}}，待发 {{lag}} 条，时钟差 {{skew}}{{/revoked}}</li>{{/stations}}</ul></td>
          </tr>{{/rows}}</tbody>
        </table></div>{{/hasRows}}
        {{^hasRows}}<p>还没有社区的记录。请在“站点”页面登记站点。</p>{{/hasRows}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension OfficeDesk {
    /// The health of a community's stations: last contact (silent for three days or more
    /// is marked), how many ops wait for each, its clock's skew, revoked or not.
    func stationHealth(_ community: String, stations: [StationRegistry.Station], lags: [String: Int]) throws -> [OverviewPage.StationHealth] {
        let now = self.now()
        return stations.filter { $0.community == community }.map { station in
            let silentFor = station.lastContact == 0 ? Int.max : Int((now.milliseconds - station.lastContact) / 86_400_000)
            return OverviewPage.StationHealth(
                stationID: station.id,
                lastContact: station.lastContact == 0 ? "从未" : WallTime(milliseconds: station.lastContact).beijingMinutes,
                silent: !station.revoked && silentFor >= OverviewPage.silentDays, lag: lags[station.id] ?? 0,
                skew: String(format: "%.0f 秒", Double(station.skew) / 1000), revoked: station.revoked)
        }
    }

    func overviewRows() throws -> [OverviewPage.Row] {
        let all = try figuresCache.figures(self, today: now().date, budget: OverviewPage.budget)
        let stations = try central.stationList()
        let lags = try central.lags(of: nil)
        return try all.keys.sorted().map { community in
            let health = try stationHealth(community, stations: stations, lags: lags)
            guard let figures = all[community] ?? nil else {
                return OverviewPage.Row(community: community, raised: 0, solved: 0, rate: "", open: 0, overdueActions: 0, streetWaiting: 0,
                                        satisfaction: "", conflicts: 0, stations: health, anySilent: health.contains(where: \.silent), pending: true)
            }
            return OverviewPage.Row(
                community: community, raised: figures.stats.raised, solved: figures.stats.solved, rate: figures.stats.resolutionRate,
                open: figures.open, overdueActions: figures.overdueActions, streetWaiting: figures.streetWaiting,
                satisfaction: figures.satisfaction, conflicts: figures.conflicts, stations: health, anySilent: health.contains(where: \.silent),
                pending: false)
        }
    }

    func addOverviewRoutes(_ router: Router<YishiRequestContext>) {
        routes.page(router, "office") { request, _, session in
            var rows = try overviewRows()
            let sort = request.uri.queryParameters["sort"].map(String.init) ?? "community"
            let keys: [(String, String, (OverviewPage.Row) -> Int)] = [
                ("raised", "今年登记", \.raised), ("solved", "今年办结", \.solved), ("rate", "办结率", { Int((Double($0.rate.dropLast()) ?? -1) * 10) }),
                ("open", "未办结", \.open), ("overdue", "超期落实", \.overdueActions), ("street", "待街道办理", \.streetWaiting),
                ("satisfaction", "满意率", { Int((Double($0.satisfaction.dropLast()) ?? -1) * 10) }), ("conflicts", "冲突", \.conflicts),
            ]
            if let key = keys.first(where: { $0.0 == sort }) { rows.sort { key.2($0) > key.2($1) } }
            let columns = [OverviewPage.Column(columnLabel: "社区", columnHref: "/office?sort=community", sorted: sort == "community")]
                + keys.map { OverviewPage.Column(columnLabel: $0.1, columnHref: "/office?sort=\($0.0)", sorted: sort == $0.0) }
            return try routes.show("overview", title: "总览", session: session, current: "/office", request: request,
                                   OverviewPage(year: now().date.year, columns: columns, rows: rows, hasRows: !rows.isEmpty,
                                                pendingCount: rows.filter(\.pending).count, hasPending: rows.contains(where: \.pending)))
        }
    }
}
