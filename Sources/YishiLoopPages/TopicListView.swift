import YishiDeliberation
import YishiDesk
import YishiModel

/// 议题: topics filtered and searched, a page of 50 at a time — a station's own, one
/// community's at the office, or every community's (检索), where each row names its
/// community and links to that community's read-only topic page.
public struct TopicListView: Sendable {
    /// Where the list lives and where its rows lead: the one thing the desks differ in.
    public struct Place: Sendable {
        /// The list's own path (the filter form submits to it).
        public var path: String
        /// A topic's page, from its community and reference.
        public var topicHref: @Sendable (_ community: String, _ reference: String) -> String
        /// The 登记新议题 button, for a role that may raise topics.
        public var newTopicHref: String?
        /// A community column (the office's search across communities).
        public var showsCommunity: Bool
        public var heading: String

        public init(path: String, heading: String = "议题", newTopicHref: String? = nil, showsCommunity: Bool = false,
                    topicHref: @escaping @Sendable (String, String) -> String) {
            self.path = path
            self.heading = heading
            self.newTopicHref = newTopicHref
            self.showsCommunity = showsCommunity
            self.topicHref = topicHref
        }
    }

    struct Row: Sendable {
        var rowRef: String
        var rowHref: String
        var rowCommunity: String
        var rowTitle: String
        var rowStatus: String
        var rowChannel: String
        var rowCategory: String
        var rowRaised: String
        var rowLate: Bool
        var rowConflicts: Bool
    }

    struct Choice: Sendable {
        var choiceValue: String
        var choiceLabel: String
        var choiceSelected: Bool
    }

    var heading: String
    var listPath: String
    var statuses: [Choice]
    var categories: [Choice]
    var channels: [Choice]
    var handlings: [Choice]
    var q: String
    var from: String
    var to: String
    var overdueOnly: Bool
    var filterError: String?
    var rows: [Row]
    var hasRows: Bool
    var total: Int
    var pageNumber: Int
    var pageCount: Int
    var previous: String?
    var next: String?
    var newTopicHref: String?
    var showsCommunity: Bool

    static let pageSize = 50

    public static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>{{heading}}</h1>
        {{#newTopicHref}}<p class="no-print"><a class="button" href="{{newTopicHref}}">登记新议题</a></p>{{/newTopicHref}}
        <form method="get" action="{{listPath}}" class="card filters" role="search" aria-label="筛选议题">
          <div class="field"><label for="q">搜索</label><input id="q" name="q" type="search" value="{{q}}" placeholder="如 垃圾分类"></div>
          <div class="field"><label for="status">状态</label><select id="status" name="status"><option value="">全部</option>
            {{#statuses}}<option value="{{choiceValue}}"{{#choiceSelected}} selected{{/choiceSelected}}>{{choiceLabel}}</option>{{/statuses}}</select></div>
          <div class="field"><label for="category">类别</label><select id="category" name="category"><option value="">全部</option>
            {{#categories}}<option value="{{choiceValue}}"{{#choiceSelected}} selected{{/choiceSelected}}>{{choiceLabel}}</option>{{/categories}}</select></div>
          <div class="field"><label for="channel">渠道</label><select id="channel" name="channel"><option value="">全部</option>
            {{#channels}}<option value="{{choiceValue}}"{{#choiceSelected}} selected{{/choiceSelected}}>{{choiceLabel}}</option>{{/channels}}</select></div>
          <div class="field"><label for="handling">办理类别</label><select id="handling" name="handling"><option value="">全部</option>
            {{#handlings}}<option value="{{choiceValue}}"{{#choiceSelected}} selected{{/choiceSelected}}>{{choiceLabel}}</option>{{/handlings}}</select></div>
          <div class="field"><label for="from">登记日期从</label><input id="from" name="from" value="{{from}}" placeholder="2026-01-01" size="10"></div>
          <div class="field"><label for="to">到</label><input id="to" name="to" value="{{to}}" placeholder="2026-12-31" size="10"></div>
          <div class="field"><label for="overdue"><input type="checkbox" id="overdue" name="overdue" value="1"{{#overdueOnly}} checked{{/overdueOnly}}> 只看有超期事项的</label></div>
          <button type="submit">筛选</button> <a href="{{listPath}}">清除条件</a>
          {{#filterError}}<p class="error" role="alert">{{filterError}}</p>{{/filterError}}
        </form>
        <p role="status">共 {{total}} 个议题{{#hasRows}}，第 {{pageNumber}} / {{pageCount}} 页{{/hasRows}}。</p>
        {{#hasRows}}
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">编号</th>{{#showsCommunity}}<th scope="col">社区</th>{{/showsCommunity}}<th scope="col">标题</th><th scope="col">状态</th>
            <th scope="col" class="hide-narrow">渠道</th><th scope="col" class="hide-narrow">类别</th><th scope="col">登记日期</th></tr></thead>
          <tbody>{{#rows}}<tr><td><a href="{{rowHref}}">{{rowRef}}</a></td>{{#showsCommunity}}<td>{{rowCommunity}}</td>{{/showsCommunity}}<td>{{rowTitle}}
            {{#rowLate}} <span class="tag late">超期</span>{{/rowLate}}{{#rowConflicts}} <span class="tag conflict">有冲突</span>{{/rowConflicts}}</td>
            <td>{{rowStatus}}</td><td class="hide-narrow">{{rowChannel}}</td><td class="hide-narrow">{{rowCategory}}</td><td>{{rowRaised}}</td></tr>{{/rows}}</tbody>
        </table></div>
        <nav class="pager" aria-label="翻页">{{#previous}}<a href="{{previous}}">上一页</a>{{/previous}}
          <span>第 {{pageNumber}} / {{pageCount}} 页</span>{{#next}}<a href="{{next}}">下一页</a>{{/next}}</nav>
        {{/hasRows}}
        {{/page}}{{/main}}{{/layout}}
        """#

    static func choices(_ values: [(String, String)], selected: String?) -> [Choice] {
        values.map { Choice(choiceValue: $0.0, choiceLabel: $0.1, choiceSelected: $0.0 == selected) }
    }

    /// The filter a list's query asks for, and a message for each date that is not one
    /// (that condition is then left out, and the person sees why).
    public static func filter(_ query: FormFields) -> (TopicFilter, problems: [String]) {
        var filter = TopicFilter()
        filter.status = query["status"]
        filter.category = query["category"]
        filter.channel = query["channel"]
        filter.handling = query["handling"]
        filter.overdueOnly = query["overdue"] != nil
        filter.words = query["q"]
        var problems: [String] = []
        if let text = query["from"] {
            if let date = LocalDate(text) { filter.from = date } else { problems.append("开始日期“\(text)”不是有效日期（应写成 2026-01-01）") }
        }
        if let text = query["to"] {
            if let date = LocalDate(text) { filter.to = date } else { problems.append("结束日期“\(text)”不是有效日期（应写成 2026-12-31）") }
        }
        return (filter, problems)
    }

    /// The page of the list the query asks for (a page past the end shows the last).
    public static func page(_ loop: Deliberation, query: FormFields, place: Place) throws -> Any {
        let (filter, problems) = filter(query)
        let requested = max(1, Int(query["page"] ?? "") ?? 1)
        var list = try loop.topicList(filter, offset: (requested - 1) * pageSize, limit: pageSize)
        let pageCount = max(1, (list.total + pageSize - 1) / pageSize)
        let number = min(requested, pageCount)
        if number != requested {
            list = try loop.topicList(filter, offset: (number - 1) * pageSize, limit: pageSize)
        }
        func link(_ page: Int) -> String {
            let kept = query.pairs.filter { $0.name != "page" && !$0.value.isEmpty }.map { ($0.name, $0.value) }
            return place.path + "?" + FormFields.query(kept + [("page", String(page))])
        }
        let communities = place.showsCommunity ? try loop.replica.scopes(ofRecords: list.topics.map(\.id)) : [:]
        return TopicListView(
            heading: place.heading, listPath: place.path,
            statuses: choices(Workflow.topic.statuses.map { ($0.name, $0.label) }, selected: filter.status),
            categories: choices(Vocabulary.categories.map { ($0, $0) }, selected: filter.category),
            channels: choices(Vocabulary.channels.map { ($0, $0) }, selected: filter.channel),
            handlings: choices(Vocabulary.handlingClasses.map { ($0, $0 + "件") }, selected: filter.handling),
            q: query["q"] ?? "", from: query["from"] ?? "", to: query["to"] ?? "", overdueOnly: filter.overdueOnly,
            filterError: problems.isEmpty ? nil : problems.joined(separator: "；") + "。这一条件没有生效。",
            rows: list.topics.map { topic in
                let community = communities[topic.id] ?? loop.scope ?? ""
                return Row(rowRef: topic.reference, rowHref: place.topicHref(community, topic.reference), rowCommunity: community,
                           rowTitle: topic.title, rowStatus: topic.statusLabel, rowChannel: topic.channel ?? "—",
                           rowCategory: topic.category ?? "未分类", rowRaised: topic.raisedOn?.description ?? "",
                           rowLate: topic.overdue, rowConflicts: topic.conflicts > 0)
            },
            hasRows: !list.topics.isEmpty, total: list.total, pageNumber: number, pageCount: pageCount,
            previous: number > 1 ? link(number - 1) : nil, next: number < pageCount ? link(number + 1) : nil,
            newTopicHref: place.newTopicHref, showsCommunity: place.showsCommunity)
    }
}
