import Foundation
import Hummingbird
import YishiHTTP
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel

/// 上报件: every matter sent to the street or the district, grouped by department, with
/// its deadline, how overdue it is, and whether the department has reported in and
/// answered — which the office records here, for the community's stations to receive.
struct EscalationsPage: Sendable {
    struct Item: Sendable {
        var community: String
        var escalationRef: String
        var topicTitle: String
        var level: String
        var reason: String
        var escalatedOn: String
        var deadline: String
        var overdueDays: Int
        var late: Bool
        var reported: String
        var answer: String
        var answered: Bool
        var mayRespond: Bool
    }

    struct Group: Sendable {
        var department: String
        var items: [Item]
        var waiting: Int
        /// Items left out of a long group, and the link to the department's own list.
        var more: Int
        var hasMore: Bool
        var moreHref: String
    }

    /// How many of a department's items the page shows: most overdue first; a district
    /// has thousands, which no one reads on one page.
    static let perGroup = 30
    static let perDepartment = 500

    var filter: String?
    var groups: [Group]
    var hasGroups: Bool
    var showAnswered: Bool
    var answeredCount: Int
    var toggleHref: String

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>上报件{{#filter}} <span class="muted">社区 {{filter}}</span>{{/filter}}</h1>
        <p>社区吹哨、部门报到：上报到街道和区的事项，按承办部门分组。部门报到、答复后在这里记录，社区的站点下次同步时就会收到。{{#filter}} <a href="/office/escalations">看全部社区</a>{{/filter}}</p>
        <p class="no-print">{{#showAnswered}}包括已答复的 {{answeredCount}} 件。<a href="{{toggleHref}}">只看待答复的</a>{{/showAnswered}}{{^showAnswered}}只列待部门答复的；已答复的 {{answeredCount}} 件<a href="{{toggleHref}}">也列出</a>。{{/showAnswered}}</p>
        {{^hasGroups}}<p>没有{{^showAnswered}}待答复的{{/showAnswered}}上报件。</p>{{/hasGroups}}
        {{#groups}}<section class="card" aria-label="{{department}}"><h2>{{department}} <span class="muted">待答复 {{waiting}} 件</span></h2>
          <div class="table-wrap"><table><thead><tr><th scope="col">社区</th><th scope="col">上报件</th><th scope="col">事项</th>
            <th scope="col">上报日期</th><th scope="col">时限</th><th scope="col">报到与答复</th></tr></thead><tbody>
          {{#items}}<tr><td>{{community}}</td><td>{{escalationRef}}<br><span class="muted">{{level}}</span></td><td>{{topicTitle}}<br><span class="muted">{{reason}}</span></td>
            <td>{{escalatedOn}}</td><td>{{deadline}}{{#late}} <span class="tag late">超期 {{overdueDays}} 天</span>{{/late}}</td>
            <td>{{#answered}}{{reported}} 报到：{{answer}}{{/answered}}{{^answered}}待部门报到{{#mayRespond}} <a class="button" href="/office/escalations/{{escalationRef}}/respond">记录报到与答复</a>{{/mayRespond}}{{/answered}}</td></tr>{{/items}}
          </tbody></table></div>{{#hasMore}}<p>还有 {{more}} 件未列出。<a href="{{moreHref}}">只看{{department}}的上报件</a></p>{{/hasMore}}</section>{{/groups}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension OfficeDesk {
    static func department(of escalation: Escalation) -> String { escalation.department ?? "（未写部门）" }

    func addEscalationRoutes(_ router: Router<YishiRequestContext>) {
        routes.page(router, "office/escalations") { request, _, session in
            let filter = request.uri.queryParameters["community"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let today = now().date
            let mayRespond = routes.may(session, .respond)
            let showAnswered = request.uri.queryParameters["answered"] == "1"
            let department = request.uri.queryParameters["department"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            // Every community's escalations, kept between requests (a district has
            // thousands); the communities and topic titles only of those the page lists.
            let escalations = try escalationsCache.escalations(self, community: filter)
            let answeredCount = escalations.count(where: \.isAnswered)
            let listed = escalations.filter { (showAnswered || !$0.isAnswered) && (department == nil || $0.department == department) }
            let limit = department == nil ? EscalationsPage.perGroup : EscalationsPage.perDepartment
            // Each escalation's urgency worked out once, not in every comparison: a
            // district sorts thousands.
            let grouped = Dictionary(grouping: listed.map { (urgency: $0.urgency(today: today), kept: $0) }, by: \.kept.department)
                .mapValues { entries in entries.sorted { $0.urgency < $1.urgency }.map(\.kept) }
            let shown = grouped.values.flatMap { $0.prefix(limit).map(\.escalation) }
            let communities = try central.replica.scopes(ofRecords: shown.map(\.id))
            let titles = try central.replica.shownValues(ofType: "topic", fields: ["title": .register],
                                                      records: Array(Set(shown.compactMap(\.topic))))
            let kept = (filter.map { [("community", $0)] } ?? []) + (showAnswered ? [("answered", "1")] : [])
            let groups = grouped.map { name, entries in
                EscalationsPage.Group(
                    department: name,
                    items: entries.prefix(limit).map(\.escalation).map { escalation in
                        let late = Deadline.isOverdue(escalation.deadline, done: escalation.isAnswered, today: today)
                        return EscalationsPage.Item(
                            community: communities[escalation.id] ?? "", escalationRef: escalation.reference,
                            topicTitle: escalation.topic.flatMap { titles[$0]?["title"] } ?? "",
                            level: escalation.level ?? "", reason: escalation.reason ?? "", escalatedOn: escalation.escalatedOn?.description ?? "",
                            deadline: escalation.deadline?.description ?? "未定",
                            overdueDays: late ? Deadline.daysOverdue(escalation.deadline!, today: today) : 0, late: late,
                            reported: escalation.reportedOn?.description ?? "", answer: escalation.response ?? "",
                            answered: escalation.isAnswered, mayRespond: mayRespond)
                    },
                    waiting: entries.count(where: { !$0.isAnswered }),
                    more: max(0, entries.count - limit), hasMore: entries.count > limit,
                    moreHref: "/office/escalations?" + FormFields.query(kept + [("department", name)]))
            }.sorted { ($0.waiting, $0.department) > ($1.waiting, $1.department) }
            return try routes.show("escalations", title: "上报件", session: session, current: "/office/escalations", request: request,
                                   EscalationsPage(filter: filter, groups: groups, hasGroups: !groups.isEmpty, showAnswered: showAnswered,
                                                   answeredCount: answeredCount,
                                                   toggleHref: "/office/escalations?" + FormFields.query(
                                                       (filter.map { [("community", $0)] } ?? []) + (showAnswered ? [] : [("answered", "1")]))))
        }
        routes.formRoutes(router, "office/escalations/:ref/respond", .respond, "记录部门答复", current: "/office/escalations") { _, context in
            guard let reference = DeskRoutes<OfficePermission>.reference(context), let escalation = try loop().escalation(reference) else { return nil }
            return DepartmentAnswerForm.spec(escalation, today: now().date, action: "/office/escalations/\(escalation.reference)/respond",
                                             back: "/office/escalations",
                                             intro: ["记录后，上报社区的站点下次同步时就会收到，议题页面上会显示部门的答复。"])
        } submit: { fields, session, context in
            let reference = DeskRoutes<OfficePermission>.reference(context)!
            // The central writes it under the community's own origin (central.<community>),
            // so it reaches that community's stations on their next sync.
            try DepartmentAnswerForm.save(fields, reference: reference, loop: loop(), by: session.name)
            return desk.redirect("/office/escalations?answered=1", flash: "已记录上报件 \(reference) 的部门报到与答复，社区站点下次同步时会收到。")
        }
    }
}
