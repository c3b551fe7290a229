import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import YishiDeliberation
import YishiDesk
import YishiModel

/// 统计: the figures `yishi stats` prints, with bar charts drawn on the server and a CSV
/// for the monthly report — one community's at a station, and at the office the same for
/// the whole street with a row per community.
public struct StatsView: Sendable {
    /// A chart drawn on the server, as a page shows it (the office's community page too).
    public struct Chart: Sendable {
        var chartTitle: String
        var svg: String

        public init(_ chart: BarChart) {
            chartTitle = chart.title
            svg = chart.svg
        }
    }

    /// A headline figure: its name and its value in words.
    public struct Figure: Sendable {
        var figureLabel: String
        var figureValue: String

        public init(_ figure: (String, String)) {
            figureLabel = figure.0
            figureValue = figure.1
        }
    }

    /// A community's line in the office's table.
    public struct CommunityLine: Sendable {
        var lineCommunity: String
        var lineHref: String
        var lineCells: [String]

        public init(community: String, href: String, cells: [String]) {
            lineCommunity = community
            lineHref = href
            lineCells = cells
        }
    }

    var heading: String
    var path: String
    var from: String
    var to: String
    var filterError: String?
    var figures: [Figure]
    var charts: [Chart]
    var csvHref: String
    var lineHeadings: [String]
    var lines: [CommunityLine]
    var hasLines: Bool

    public static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>{{heading}}</h1>
        <form method="get" action="{{path}}" class="card filters" aria-label="统计期间">
          <div class="field"><label for="from">从</label><input id="from" name="from" value="{{from}}" placeholder="2026-01-01" size="10"></div>
          <div class="field"><label for="to">到</label><input id="to" name="to" value="{{to}}" placeholder="2026-12-31" size="10"></div>
          <button type="submit">按此期间统计</button> <a class="button secondary" href="{{csvHref}}">下载 CSV</a>
          {{#filterError}}<p class="error" role="alert">{{filterError}}</p>{{/filterError}}
        </form>
        <section class="card" aria-labelledby="fig-h"><h2 id="fig-h">主要数字</h2>
          <table><tbody>{{#figures}}<tr><th scope="row">{{figureLabel}}</th><td>{{figureValue}}</td></tr>{{/figures}}</tbody></table></section>
        {{#hasLines}}<section class="card" aria-labelledby="com-h"><h2 id="com-h">各社区</h2>
          <div class="table-wrap"><table><thead><tr><th scope="col">社区</th>{{#lineHeadings}}<th scope="col">{{.}}</th>{{/lineHeadings}}</tr></thead>
          <tbody>{{#lines}}<tr><th scope="row"><a href="{{lineHref}}">{{lineCommunity}}</a></th>{{#lineCells}}<td>{{.}}</td>{{/lineCells}}</tr>{{/lines}}</tbody>
          </table></div></section>{{/hasLines}}
        {{#charts}}<section class="card"><h2>{{chartTitle}}</h2>{{{svg}}}</section>{{/charts}}
        {{/page}}{{/main}}{{/layout}}
        """#

    public init(heading: String = "统计", path: String, query: FormFields, problem: String?, figures: [(String, String)],
                charts: [BarChart], lineHeadings: [String] = [], lines: [CommunityLine] = []) {
        self.heading = heading
        self.path = path
        from = query["from"] ?? ""
        to = query["to"] ?? ""
        filterError = problem
        self.figures = figures.map(Figure.init)
        self.charts = charts.map(Chart.init)
        csvHref = path + ".csv" + (query.pairs.isEmpty ? "" : "?" + FormFields.query(query.pairs.map { ($0.name, $0.value) }))
        self.lineHeadings = lineHeadings
        self.lines = lines
        hasLines = !lines.isEmpty
    }

    /// The period from the query, and a message for a date that is not one.
    public static func period(_ query: FormFields) -> (from: LocalDate?, to: LocalDate?, problem: String?) {
        var problems: [String] = []
        let from = query["from"].flatMap { text in LocalDate(text) ?? { problems.append("“\(text)”不是有效日期"); return nil }() }
        let to = query["to"].flatMap { text in LocalDate(text) ?? { problems.append("“\(text)”不是有效日期"); return nil }() }
        return (from, to, problems.isEmpty ? nil : problems.joined(separator: "；") + "，请写成 2026-01-01 这样的格式。这一条件没有生效。")
    }

    /// The headline figures of a period, as the page and the CSV both show them.
    public static func figures(_ stats: Statistics) -> [(String, String)] {
        [("登记议题", "\(stats.raised) 件"), ("已办结", "\(stats.solved) 件"), ("办结率", stats.resolutionRate),
         ("召开会议", "\(stats.meetings) 次"),
         ("平均办结天数", stats.averageDaysToResolution.map { String(format: "%.1f 天", $0) } ?? Percent.none),
         ("办结天数中位数", Statistics.days(stats.medianDaysToResolution)),
         ("超期未办", "\(stats.overdue.count) 件"),
         ("纠纷", "\(stats.disputes.found) 件"), ("调解化解", "\(stats.disputes.resolved) 件"), ("化解率", stats.disputes.rate),
         ("居民会议", "\(stats.assemblies) 次（作出决定 \(stats.assembliesDecided) 次）"),
         ("重大事项", "\(stats.majorMatters) 件（完成两公开 \(stats.majorMattersPublished) 件）")]
    }

    /// A community's charts: topics raised and solved by month, by channel and category,
    /// satisfaction by round, and overdue work.
    public static func charts(_ stats: Statistics, topics: [Topic]) -> [BarChart] {
        var months: [String: (raised: Int, solved: Int)] = [:]
        for topic in topics {
            if let raised = topic.raisedOn { months[month(raised), default: (0, 0)].raised += 1 }
            if topic.isSolved, let closed = topic.closedOn { months[month(closed), default: (0, 0)].solved += 1 }
        }
        let monthKeys = months.keys.sorted()
        let categories = Dictionary(grouping: topics, by: { $0.category ?? "未分类" }).map { ($0.key, $0.value.count) }.sorted { $0.1 > $1.1 }
        return [
            BarChart(title: "每月登记的议题", bars: monthKeys.map { .init(label: $0, value: months[$0]!.raised) }),
            BarChart(title: "每月办结的议题", bars: monthKeys.map { .init(label: $0, value: months[$0]!.solved) }),
            BarChart(title: "按渠道", bars: stats.byChannel.map { .init(label: $0.name, value: $0.count) }),
            BarChart(title: "按类别", bars: categories.map { .init(label: $0.0, value: $0.1) }),
            BarChart(title: "各轮评议满意率（%）", bars: stats.satisfaction.map { round in
                let total = round.satisfied + round.basic + round.unsatisfied
                return .init(label: "\(round.topic) 第\(round.round)轮", value: total == 0 ? 0 : (round.satisfied + round.basic) * 100 / total,
                             valueText: round.rate)
            }, maximum: 100),
            BarChart(title: "超期未办", bars: stats.overdue.map { .init(label: $0.reference, value: $0.daysOverdue, valueText: "\($0.daysOverdue) 天") }),
        ]
    }

    /// The rows of a community's CSV: every figure `yishi stats` has, one per line.
    public static func csvRows(_ stats: Statistics) -> [[String]] {
        var rows = figures(stats).map { ["汇总", $0.0, $0.1] }
        rows += stats.byChannel.map { ["渠道", $0.name, String($0.count)] }
        rows += stats.byHandling.map { ["办理类别", $0.name, String($0.count)] }
        rows += stats.meetingsByForm.map { ["会议形式", $0.name, String($0.count)] }
        rows += stats.satisfaction.map { ["满意率", "\($0.topic) 第\($0.round)轮", $0.rate] }
        rows += stats.overdue.map { ["超期", "\($0.reference) \($0.what)", "\($0.daysOverdue) 天"] }
        rows += stats.points.map { ["积分", $0.resident, String($0.points)] }
        return rows
    }

    /// A CSV download named after its period.
    public static func csv(_ rows: [[String]], name: String, from: LocalDate?, to: LocalDate?) -> Response {
        // A byte-order mark, so that spreadsheet programs on office PCs read the Chinese as UTF-8.
        let text = "\u{FEFF}" + rows.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        let file = "\(name)-\(from?.description ?? "all")-\(to?.description ?? "all").csv"
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(file)\"",
                                               .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func month(_ date: LocalDate) -> String { "\(date.year)-\(date.month < 10 ? "0" : "")\(date.month)" }

    static func csvField(_ text: String) -> String {
        // A cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
        let safe = text.first.map { "=+-@".contains($0) } == true ? "'" + text : text
        return safe.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) || safe != text
            ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
    }
}
