import Foundation
import Hummingbird
import YishiHTTP
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiModel

/// 社区: one community over a chosen period (this year unless asked) — the overview's
/// figures and everything `yishi stats` says, its stations' health — with its topics,
/// filtered and searched as at the station, and each topic's page and history, read-only.
struct CommunityPage: Sendable {
    var community: String
    var from: String
    var to: String
    var filterError: String?
    var periodText: String
    var figures: [StatsView.Figure]
    var stations: [OverviewPage.StationHealth]
    var hasStations: Bool
    var charts: [StatsView.Chart]
    var csvHref: String

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>社区 {{community}}</h1>
        <nav class="actions-row no-print" aria-label="这个社区"><a class="button" href="/office/communities/{{community}}/topics">议题</a>
          <a class="button secondary" href="/office/escalations?community={{community}}">上报件</a>
          <a class="button secondary" href="{{csvHref}}">下载 CSV</a></nav>
        <form method="get" action="/office/communities/{{community}}" class="card filters" aria-label="统计期间">
          <div class="field"><label for="from">从</label><input id="from" name="from" value="{{from}}" placeholder="2026-01-01" size="10"></div>
          <div class="field"><label for="to">到</label><input id="to" name="to" value="{{to}}" placeholder="2026-12-31" size="10"></div>
          <button type="submit">按此期间统计</button>
          {{#filterError}}<p class="error" role="alert">{{filterError}}</p>{{/filterError}}
        </form>
        <section class="card" aria-labelledby="fig-h"><h2 id="fig-h">主要数字 <span class="muted">{{periodText}}</span></h2>
          <p class="muted">登记、办结、会议和满意率按所选期间统计；未办结、超期和待办理的是今天的情况。</p>
          <table><tbody>{{#figures}}<tr><th scope="row">{{figureLabel}}</th><td>{{figureValue}}</td></tr>{{/figures}}</tbody></table></section>
        <section class="card" aria-labelledby="st-h"><h2 id="st-h">站点</h2>
          {{#hasStations}}<ul class="plain">{{#stations}}<li>{{stationID}}：{{#revoked}}<span class="tag">已停用</span>{{/revoked}}{{^revoked}}上次同步 {{lastContact}}{{#silent}} <span class="tag late">3 天以上未同步</span>{{/silent}}，待发 {{lag}} 条，时钟差 {{skew}}{{/revoked}}</li>{{/stations}}</ul>{{/hasStations}}
          {{^hasStations}}<p>这个社区还没有登记站点。</p>{{/hasStations}}</section>
        {{#charts}}<section class="card"><h2>{{chartTitle}}</h2>{{{svg}}}</section>{{/charts}}
        {{/page}}{{/main}}{{/layout}}
        """#

    /// The period the office looks at: the query's, or this year so far.
    static func period(_ query: FormFields, today: LocalDate) -> (from: LocalDate, to: LocalDate, problem: String?) {
        let (from, to, problem) = StatsView.period(query)
        return (from ?? LocalDate(year: today.year, month: 1, day: 1), to ?? today, problem)
    }

    static let satisfactionLabel = "满意率（基本满意以上）"

    /// The period's figures, then the work open today.
    static func figures(_ figures: CommunityFigures) -> [(String, String)] {
        StatsView.figures(figures.stats) + [(satisfactionLabel, figures.satisfaction)] + today(figures)
    }

    /// The work open today, whatever the period.
    static func today(_ figures: CommunityFigures) -> [(String, String)] {
        [("未办结的议题（全部）", "\(figures.open) 件"), ("超期的落实事项", "\(figures.overdueActions) 件"),
         ("待街道办理的上报件", "\(figures.streetWaiting) 件"), ("待站点确认的冲突", "\(figures.conflicts) 处")]
    }
}

extension OfficeDesk {
    /// The community the path names, if the central knows it.
    func community(_ context: YishiRequestContext) throws -> String? {
        guard let name = DeskRoutes<OfficePermission>.reference(context, "community") else { return nil }
        return try communities().contains(name) ? name : nil
    }

    /// The topic the path names, in the community the path names (and no other).
    func topic(_ context: YishiRequestContext) throws -> (String, Deliberation, Topic)? {
        guard let community = try community(context), let reference = DeskRoutes<OfficePermission>.reference(context) else { return nil }
        let loop = loop(community)
        guard let topic = try loop.topic(reference), try central.replica.scopes(ofRecords: [topic.id])[topic.id] == community else { return nil }
        return (community, loop, topic)
    }

    func addCommunityRoutes(_ router: Router<YishiRequestContext>) {
        routes.page(router, "office/communities/:community") { request, context, session in
            guard let community = try community(context) else {
                return routes.notFound("这个社区", session: session, request: request, back: "/office")
            }
            let query = (try? FormFields(encoded: request.uri.query ?? "")) ?? FormFields()
            let today = now().date
            let (from, to, problem) = CommunityPage.period(query, today: today)
            let figures = try figuresCache.figures(self, community: community, from: from, to: to, today: today)
            let charts = [
                BarChart(title: "按渠道", bars: figures.stats.byChannel.map { .init(label: $0.name, value: $0.count) }),
                BarChart(title: "按办理类别", bars: figures.stats.byHandling.map { .init(label: $0.name, value: $0.count) }),
                BarChart(title: "超期未办", bars: figures.stats.overdue.map { .init(label: $0.reference, value: $0.daysOverdue, valueText: "\($0.daysOverdue) 天") }),
            ].filter { !$0.bars.isEmpty }
            let stations = try stationHealth(community, stations: central.stationList(), lags: central.lags(of: community))
            let page = CommunityPage(
                community: community, from: query["from"] ?? from.description, to: query["to"] ?? to.description, filterError: problem,
                periodText: "\(from) 至 \(to)", figures: CommunityPage.figures(figures).map(StatsView.Figure.init),
                stations: stations, hasStations: !stations.isEmpty,
                charts: charts.map(StatsView.Chart.init),
                csvHref: "/office/communities/\(community)/stats.csv?" + FormFields.query([("from", from.description), ("to", to.description)]))
            return try routes.show("community", title: "社区 \(community)", session: session, current: "/office", request: request, page)
        }
        routes.page(router, "office/communities/:community/stats.csv") { request, context, session in
            guard let community = try community(context) else {
                return routes.notFound("这个社区", session: session, request: request, back: "/office")
            }
            let query = (try? FormFields(encoded: request.uri.query ?? "")) ?? FormFields()
            let (from, to, _) = CommunityPage.period(query, today: now().date)
            let stats = try loop(community).statistics(from: from, to: to)
            return StatsView.csv([["社区", "指标", "项目", "数值"]] + StatsView.csvRows(stats).map { [community] + $0 },
                                 name: "yishi-\(community)", from: from, to: to)
        }
        routes.page(router, "office/communities/:community/topics") { request, context, session in
            guard let community = try community(context) else {
                return routes.notFound("这个社区", session: session, request: request, back: "/office")
            }
            let query = (try? FormFields(encoded: request.uri.query ?? "")) ?? FormFields()
            let place = TopicListView.Place(path: "/office/communities/\(community)/topics", heading: "社区 \(community) 的议题",
                                            topicHref: { _, reference in "/office/communities/\(community)/topics/\(reference)" })
            return try routes.show("topics", title: "社区 \(community) 的议题", session: session, current: "/office", request: request,
                                   try TopicListView.page(loop(community), query: query, place: place))
        }
        routes.page(router, "office/communities/:community/topics/:ref") { request, context, session in
            guard let (community, loop, topic) = try topic(context) else {
                return routes.notFound("这个议题", session: session, request: request, back: "/office")
            }
            let place = TopicView.Place(topicBase: "/office/communities/\(community)/topics", stationLinks: false,
                                        respondBase: routes.may(session, .respond) ? "/office/escalations" : nil,
                                        back: ("/office/communities/\(community)/topics", "← 社区 \(community) 的议题"))
            return try routes.show("topic", title: "\(topic.reference) \(topic.title)", session: session, current: "/office",
                                   request: request, try TopicView.page(topic, loop, place: place, steps: []))
        }
        routes.page(router, "office/communities/:community/topics/:ref/history") { request, context, session in
            guard let (community, loop, topic) = try topic(context) else {
                return routes.notFound("这个议题", session: session, request: request, back: "/office")
            }
            return try routes.show("history", title: "修改记录 \(topic.reference)", session: session, current: "/office", request: request,
                                   try TopicView.history(topic, loop, topicBase: "/office/communities/\(community)/topics"))
        }
    }
}
