import Foundation
import Hummingbird
import YishiHTTP
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel

/// What communities ask of the street beside escalations: 征询, the street's opinion on a
/// topic that touches government public services (the topic waits for it), and 备案, a
/// major matter's resolution filed with the street's party working committee, which signs
/// for it. Answers and receipts are written here under each community's origin
/// (`central.<community>`), so they reach its stations on their next sync.
struct StreetRequestsPage: Sendable {
    struct Item: Sendable {
        var community: String
        var itemRef: String
        var topicRef: String
        var topicTitle: String
        var itemDate: String
        var itemText: String
        var itemState: String
        var done: Bool
        var actionHref: String?
        var actionLabel: String
    }

    var heading: String
    var intro: String
    var items: [Item]
    var hasItems: Bool
    var showDone: Bool
    var doneCount: Int
    var toggleHref: String
    var emptyText: String

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>{{heading}}</h1>
        <p>{{intro}}</p>
        <p class="no-print">{{#showDone}}包括已办的 {{doneCount}} 件。<a href="{{toggleHref}}">只看待办的</a>{{/showDone}}{{^showDone}}只列待办的；已办的 {{doneCount}} 件<a href="{{toggleHref}}">也列出</a>。{{/showDone}}</p>
        {{^hasItems}}<p>{{emptyText}}</p>{{/hasItems}}
        {{#hasItems}}<div class="table-wrap"><table><thead><tr><th scope="col">社区</th><th scope="col">编号</th><th scope="col">议题</th>
          <th scope="col">日期</th><th scope="col">内容</th><th scope="col">办理</th></tr></thead><tbody>
        {{#items}}<tr><td>{{community}}</td><td>{{itemRef}}</td><td><a href="/office/communities/{{community}}/topics/{{topicRef}}">{{topicTitle}}</a><br><span class="muted">{{topicRef}}</span></td>
          <td>{{itemDate}}</td><td>{{itemText}}</td>
          <td>{{itemState}}{{^done}}{{#actionHref}} <a class="button" href="{{actionHref}}">{{actionLabel}}</a>{{/actionHref}}{{/done}}</td></tr>{{/items}}
        </tbody></table></div>{{/hasItems}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension OfficeDesk {
    func addStreetRequestRoutes(_ router: Router<YishiRequestContext>) {
        routes.page(router, "office/opinions") { request, _, session in
            let showDone = request.uri.queryParameters["done"] == "1"
            let opinions = try loop().opinions()
            let listed = opinions.filter { showDone || !$0.isAnswered }.sorted { ($0.askedOn?.description ?? "") < ($1.askedOn?.description ?? "") }
            let (communities, titles) = try context(ids: listed.map(\.id), topics: listed.compactMap(\.topic))
            let mayAnswer = routes.may(session, .respond)
            let items = listed.map { opinion in
                StreetRequestsPage.Item(
                    community: communities[opinion.id] ?? "", itemRef: opinion.reference, topicRef: referenceOf(opinion.topic ?? ""),
                    topicTitle: titles[opinion.topic ?? ""] ?? "", itemDate: opinion.askedOn?.description ?? "", itemText: opinion.question ?? "",
                    itemState: opinion.answer.map { "\(opinion.answeredOn?.description ?? "") 答复：\($0)" } ?? "待街道答复",
                    done: opinion.isAnswered, actionHref: mayAnswer ? "/office/opinions/\(opinion.reference)/answer" : nil, actionLabel: "答复")
            }
            let page = StreetRequestsPage(
                heading: "征询", intro: "议题涉及政府公共服务的，社区在议事厅协商前征求街道意见；答复之前，社区不能安排这个议题的协商会议。"
                    + "答复后，社区的站点下次同步时就会收到。",
                items: items, hasItems: !items.isEmpty, showDone: showDone, doneCount: opinions.filter(\.isAnswered).count,
                toggleHref: showDone ? "/office/opinions" : "/office/opinions?done=1", emptyText: "没有待答复的征询。")
            return try routes.show("requests", title: "征询", session: session, current: "/office/opinions", request: request, page)
        }
        routes.formRoutes(router, "office/opinions/:ref/answer", .respond, "答复征询", current: "/office/opinions") { _, context in
            guard let reference = DeskRoutes<OfficePermission>.reference(context), let opinion = try loop().opinion(reference) else { return nil }
            let title = try opinion.topic.flatMap { try loop().topic($0)?.title } ?? ""
            return FormSpec(
                heading: "答复征询 \(opinion.reference)",
                intro: ["答复后，社区的站点下次同步时收到，这个议题即可安排协商会议。"],
                facts: [("议题", "\(referenceOf(opinion.topic ?? "")) \(title)"), ("征询日期", opinion.askedOn?.description ?? ""),
                        ("征询内容", opinion.question ?? "")],
                action: "/office/opinions/\(opinion.reference)/answer", submit: "答复",
                inputs: [
                    .init("answeredOn", "答复日期", .text(example: now().date.description), required: true, initial: now().date.description),
                    .init("answer", "街道意见", .textarea(), required: true, initial: opinion.answer),
                ], back: "/office/opinions")
        } submit: { fields, session, context in
            let reference = DeskRoutes<OfficePermission>.reference(context)!
            guard let date = try Typed.date(fields, "answeredOn", "答复日期") else { throw DeskError("请填写答复日期。", field: "answeredOn") }
            try loop().answerStreetOpinion(reference, answeredOn: date, answer: fields.raw("answer") ?? "", by: session.name)
            return desk.redirect("/office/opinions?done=1", flash: "已答复征询 \(reference)，社区站点下次同步时会收到。")
        }
        routes.page(router, "office/filings") { request, _, session in
            let showDone = request.uri.queryParameters["done"] == "1"
            let filed = try loop().majorMatters().filter { $0.filedOn != nil }
            let listed = filed.filter { showDone || $0.acknowledgedOn == nil }.sorted { $0.filedOn! < $1.filedOn! }
            let (communities, titles) = try context(ids: listed.map(\.id), topics: listed.compactMap(\.topic))
            let mayAcknowledge = routes.may(session, .respond)
            let items = listed.map { major in
                StreetRequestsPage.Item(
                    community: communities[major.id] ?? "", itemRef: major.reference, topicRef: referenceOf(major.topic ?? ""),
                    topicTitle: titles[major.topic ?? ""] ?? "", itemDate: major.filedOn?.description ?? "",
                    itemText: "决议：\(major.resolution)",
                    itemState: major.acknowledgedOn.map { "\($0) 由 \(major.acknowledgedBy ?? "") 签收" } ?? "待签收",
                    done: major.acknowledgedOn != nil, actionHref: mayAcknowledge ? "/office/filings/\(major.reference)/acknowledge" : nil,
                    actionLabel: "签收")
            }
            let page = StreetRequestsPage(
                heading: "备案", intro: "社区重大事项实行“五议一备两公开”：集体决议后，书面决议报街道党工委备案。签收后，社区的站点下次同步时就会收到。",
                items: items, hasItems: !items.isEmpty, showDone: showDone, doneCount: filed.filter { $0.acknowledgedOn != nil }.count,
                toggleHref: showDone ? "/office/filings" : "/office/filings?done=1", emptyText: "没有待签收的备案。")
            return try routes.show("requests", title: "备案", session: session, current: "/office/filings", request: request, page)
        }
        routes.formRoutes(router, "office/filings/:ref/acknowledge", .respond, "签收备案", current: "/office/filings") { _, context in
            guard let reference = DeskRoutes<OfficePermission>.reference(context), let major = try loop().majorMatter(reference),
                  major.filedOn != nil else { return nil }
            let title = try major.topic.flatMap { try loop().topic($0)?.title } ?? ""
            return FormSpec(
                heading: "签收备案 \(major.reference)",
                facts: [("事项", "\(referenceOf(major.topic ?? "")) \(title)"), ("备案日期", major.filedOn?.description ?? ""),
                        ("集体决议", major.stepDates[MajorMatter.steps.last!]?.description ?? ""), ("决议", major.resolution)],
                action: "/office/filings/\(major.reference)/acknowledge", submit: "签收",
                inputs: [.init("date", "签收日期", .text(example: now().date.description), required: true, initial: now().date.description)],
                back: "/office/filings")
        } submit: { fields, session, context in
            let reference = DeskRoutes<OfficePermission>.reference(context)!
            guard let date = try Typed.date(fields, "date", "签收日期") else { throw DeskError("请填写签收日期。", field: "date") }
            try loop().acknowledgeMajor(reference, on: date, by: session.name)
            return desk.redirect("/office/filings?done=1", flash: "已签收 \(reference) 的备案，社区站点下次同步时会收到。")
        }
    }

    /// The community of each record and the title of each topic, for the rows shown only.
    private func context(ids: [String], topics: [String]) throws -> ([String: String], [String: String]) {
        let communities = try central.replica.scopes(ofRecords: ids)
        let titles = try central.replica.shownValues(ofType: "topic", fields: ["title": .register], records: Array(Set(topics)))
        return (communities, titles.compactMapValues { $0["title"] })
    }
}
