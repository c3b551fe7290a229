import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiMerge
import YishiModel

/// 冲突: every place where stations' concurrent edits disagree, each side beside the
/// other with its station, author and time; resolved by picking a side or writing anew.
struct ConflictsPage: Sendable {
    struct Side: Sendable {
        var sideNumber: Int
        var sideValue: String
        var sideStation: String
        var sideAuthor: String
        var sideTime: String
        var sideShown: Bool
        var sideID: String
    }

    struct Item: Sendable {
        var itemID: String
        var where_: String
        var link: String
        var record: String
        var field: String
        var key: String
        var sides: [Side]
        var mayWriteNew: Bool
        var itemError: String?
        var typed: String
        /// Where else the same two edits disagree: settled with this choice.
        var together: String?
    }

    var items: [Item]
    var hasItems: Bool
    var pageError: String?
    var csrf: String
    var mayResolve: Bool

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>冲突</h1>
        <p>两个站点同时改了同一内容时，两边的修改都保留在这里，直到有人确认。确认后，其他站点同步时也会看到这个结果。</p>
        {{#pageError}}<div class="error-box" role="alert"><p><strong>没有保存：</strong>{{pageError}}</p></div>{{/pageError}}
        {{^hasItems}}<p role="status">没有等待确认的冲突。</p>{{/hasItems}}
        {{#items}}
        <section class="card" aria-labelledby="{{itemID}}-h">
          <h2 id="{{itemID}}-h"><a href="{{link}}">{{where_}}</a></h2>
          <form method="post" action="/conflicts/resolve">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <input type="hidden" name="record" value="{{record}}"><input type="hidden" name="field" value="{{field}}"><input type="hidden" name="key" value="{{key}}">
            {{#itemError}}<div class="error-box" role="alert"><p><strong>没有保存：</strong>{{itemError}}</p></div>{{/itemError}}
            <fieldset><legend>选定一个版本</legend>
            <div class="sides">
            {{#sides}}<div class="side"><label for="{{sideID}}"><input type="radio" id="{{sideID}}" name="pick" value="{{sideNumber}}">
              版本 {{sideNumber}}{{#sideShown}}（目前显示）{{/sideShown}}</label>
              <p><strong>{{sideValue}}</strong></p>
              <p class="muted">站点 {{sideStation}} · {{sideAuthor}} · {{sideTime}}</p></div>{{/sides}}
            </div></fieldset>
            {{#together}}<p class="muted">这是同一次修改造成的：选定后，{{together}}也按同一边确定。</p>{{/together}}
            {{#mayWriteNew}}<div class="field"><label for="{{itemID}}-new">或者写一个新的值</label>
              <textarea id="{{itemID}}-new" name="value">{{typed}}</textarea></div>{{/mayWriteNew}}
            {{#mayResolve}}<button type="submit">确认</button>{{/mayResolve}}
          </form>
        </section>
        {{/items}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension StationDesk {
    func conflictsPage(_ loop: Deliberation, session: DeskSession, error: (record: String, field: String, key: String, message: String, typed: String)? = nil) throws -> ConflictsPage {
        let all = try loop.conflicts()
        let items = all.enumerated().map { index, conflict in
            let type = Schema.type(ofRecord: conflict.record)
            var place = conflict.place
            if conflict.kind == .entry { place += "（\(conflict.key.split(separator: "|").last.map(String.init) ?? conflict.key)）" }
            let pages = ["meeting": "/meetings", "topic": "/topics", "action": "/actions", "major": "/majors", "mediation": "/mediations"]
            let link = type.flatMap { pages[$0.name] }.map { "\($0)/\(referenceOf(conflict.record))" } ?? "/conflicts"
            let sides = conflict.sides.enumerated().map { number, side in
                ConflictsPage.Side(
                    sideNumber: number + 1,
                    sideValue: conflict.words(of: side) ?? "（已删除）",
                    sideStation: side.replica.rawValue, sideAuthor: side.author, sideTime: side.wallTime.beijingMinutes,
                    sideShown: side == conflict.shown, sideID: "c\(index)-\(number)")
            }
            let failed = error.map { $0.record == conflict.record && $0.field == conflict.field && $0.key == conflict.key } ?? false
            return ConflictsPage.Item(
                itemID: "c\(index)", where_: place, link: link, record: conflict.record, field: conflict.field, key: conflict.key,
                sides: sides, mayWriteNew: conflict.kind != .status && type?.field(conflict.field)?.owner == nil, itemError: failed ? error?.message : nil,
                typed: failed ? error?.typed ?? "" : "",
                together: conflict.kind == .text ? nil
                    : Deliberation.settledTogether(with: conflict, among: all).map(\.place).joined(separator: "、").nonEmpty)
        }
        let shown = items.contains { $0.itemError != nil }
        return ConflictsPage(items: items, hasItems: !items.isEmpty, pageError: shown ? nil : error?.message, csrf: session.csrf,
                             mayResolve: StationRole(rawValue: session.role)?.may(.loop) == true)
    }

    func addConflictRoutes(_ router: Router<Context>) {
        page(router, "conflicts") { request, _, session in
            try show("conflicts", title: "冲突", session: session, current: "/conflicts", request: request,
                     try conflictsPage(try loop(), session: session))
        }
        action(router, "conflicts/resolve", .loop, "确认冲突") { request, _, session, fields in
            let loop = try loop()
            let record = fields["record"] ?? "", field = fields["field"] ?? "", key = fields.raw("key") ?? ""
            let value = fields.raw("value").flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            do {
                try loop.resolveConflict(record: record, field: field, key: key, pick: fields["pick"].flatMap { Int($0) },
                                         value: value, by: session.name)
                return desk.redirect("/conflicts", flash: "已确认 \(referenceOf(record)) 的这处冲突。")
            } catch let violation as RuleViolation {
                let page = try conflictsPage(loop, session: session,
                                             error: (record, field, key, violation.text(at: .desk), fields.raw("value") ?? ""))
                return desk.page("conflicts", title: "冲突", session: session, current: "/conflicts", request: request,
                                 banner: try banner(session), status: .unprocessableContent, page: page)
            }
        }
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
