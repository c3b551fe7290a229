import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel

/// 委员会: the deliberation committee — members, categories, terms — and who serves today.
struct CommitteePage: Sendable {
    struct Row: Sendable {
        var memberRef: String
        var memberName: String
        var memberCategory: String
        var term: String
        var serving: Bool
    }

    var rows: [Row]
    var hasRows: Bool
    var servingCount: Int
    var categories: String
    var consensus: String
    var mayWrite: Bool

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>协商委员会</h1>
        <p>今天在任委员 {{servingCount}} 人。{{consensus}}</p>
        <p class="muted">委员界别：{{categories}}</p>
        {{#mayWrite}}<p class="no-print"><a class="button" href="/committee/new">登记委员</a></p>{{/mayWrite}}
        {{#hasRows}}<div class="table-wrap"><table><thead><tr><th scope="col">编号</th><th scope="col">姓名</th><th scope="col">界别</th>
          <th scope="col">任期</th><th scope="col">状态</th>{{#mayWrite}}<th scope="col" class="no-print">操作</th>{{/mayWrite}}</tr></thead><tbody>
          {{#rows}}<tr><td>{{memberRef}}</td><td>{{memberName}}</td><td>{{memberCategory}}</td><td>{{term}}</td>
          <td>{{#serving}}在任{{/serving}}{{^serving}}不在任{{/serving}}</td>
          {{#mayWrite}}<td class="no-print">{{#serving}}<a href="/committee/{{memberRef}}/end">登记离任</a>{{/serving}}</td>{{/mayWrite}}</tr>{{/rows}}
        </tbody></table></div>{{/hasRows}}
        {{^hasRows}}<p>还没有登记委员。表决须有在任委员。</p>{{/hasRows}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension StationDesk {
    func addCommitteeRoutes(_ router: Router<Context>) {
        page(router, "committee") { request, _, session in
            let loop = try loop()
            let members = try loop.members()
            let serving = members.filter { $0.serves(on: loop.today) }
            let needed = (loop.rules.consensusPercent * serving.count + 99) / 100
            let page = CommitteePage(
                rows: members.map { member in
                    CommitteePage.Row(memberRef: member.reference, memberName: member.name, memberCategory: member.category ?? "",
                                      term: "\(member.termStart?.description ?? "")至\(member.termEnd?.description ?? "")",
                                      serving: member.serves(on: loop.today))
                }, hasRows: !members.isEmpty, servingCount: serving.count,
                categories: loop.rules.committeeCategories.joined(separator: "、"),
                consensus: serving.isEmpty ? "" : "达成共识须 \(needed) 人同意（\(loop.rules.consensusPercent)%）。",
                mayWrite: StationRole(rawValue: session.role)?.may(.loop) == true)
            return try show("committee", title: "协商委员会", session: session, current: "/committee", request: request, page)
        }
        formRoutes(router, "committee/new", .loop, "登记委员", current: "/committee") { _, _, loop in
            FormSpec(
                heading: "登记协商委员",
                intro: ["“356”协商议事委员会：本社区规则为每个方面 \(loop.rules.membersPerCategory) 人、每届 \(loop.rules.termYears) 年"
                        + "（数据目录的 rules.toml 里的 members_per_category、term_years）。超过时照常登记，并提醒。"],
                action: "/committee/new", submit: "登记",
                inputs: [
                    .init("name", "姓名", required: true),
                    .init("category", "界别", .select([.init("", "（请选择）")] + loop.rules.committeeCategories.map { .init($0) }), required: true),
                    .init("termStart", "任期开始", .text(example: "2024-01-01"), required: true),
                    .init("termEnd", "任期结束", .text(example: "2026-12-31"), required: true),
                ], back: "/committee")
        } submit: { fields, loop, session, _ in
            let name = try Typed.required(fields, "name", "姓名")
            guard let start = try Typed.date(fields, "termStart", "任期开始") else { throw DeskError("请填写任期开始。", field: "termStart") }
            guard let end = try Typed.date(fields, "termEnd", "任期结束") else { throw DeskError("请填写任期结束。", field: "termEnd") }
            let (id, notices) = try loop.addMember(name: name, category: try Typed.required(fields, "category", "界别"),
                                                   termStart: start, termEnd: end, by: session.name)
            return desk.redirect("/committee", flash: (["已登记委员 \(name)（\(referenceOf(id))）。"] + notices.map { "提醒：\($0)" })
                .joined(separator: " "))
        }
        formRoutes(router, "committee/:ref/end", .loop, "登记委员离任", current: "/committee") { _, context, loop in
            guard let reference = Self.reference(context),
                  let member = try loop.members().first(where: { $0.reference == reference }) else { return nil }
            return FormSpec(
                heading: "登记离任：\(member.name)", facts: [("委员", "\(member.reference) \(member.name)")],
                action: "/committee/\(member.reference)/end", submit: "登记离任",
                inputs: [.init("date", "离任日期", .text(example: loop.today.description), required: true, initial: loop.today.description)],
                back: "/committee")
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            guard let date = try Typed.date(fields, "date", "离任日期") else { throw DeskError("请填写离任日期。", field: "date") }
            try loop.endMember(reference, on: date, by: session.name)
            return desk.redirect("/committee", flash: "已登记离任。")
        }
    }
}
