import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiModel
import YishiPublicBoard
import YishiSync

/// 公示: the notices for the bulletin board, as print-ready A4 pages — the same documents,
/// redacted the same way, as `yishi notice` writes.
struct NoticeListPage: Sendable {
    struct Row: Sendable {
        var noticeHref: String
        var noticeLabel: String
    }

    var meetings: [Row]
    var hasMeetings: Bool
    var results: [Row]
    var hasResults: Bool
    var majors: [Row]
    var hasMajors: Bool

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>公示</h1>
        <p>打开后用浏览器的“打印”（Ctrl+P）打印成 A4 张贴。电话号码和要求匿名的居民姓名不会出现在公示上。</p>
        <div class="grid2">
        <section class="card" aria-labelledby="mn-h"><h2 id="mn-h">会议公示</h2>
          {{#hasMeetings}}<ul>{{#meetings}}<li><a href="{{noticeHref}}">{{noticeLabel}}</a></li>{{/meetings}}</ul>{{/hasMeetings}}
          {{^hasMeetings}}<p>还没有会议。</p>{{/hasMeetings}}</section>
        <section class="card" aria-labelledby="rn-h"><h2 id="rn-h">议事结果公示</h2>
          {{#hasResults}}<ul>{{#results}}<li><a href="{{noticeHref}}">{{noticeLabel}}</a></li>{{/results}}</ul>{{/hasResults}}
          {{^hasResults}}<p>还没有协商过的议题。</p>{{/hasResults}}</section>
        {{#hasMajors}}<section class="card" aria-labelledby="mj-h"><h2 id="mj-h">重大事项两公开</h2>
          <ul>{{#majors}}<li><a href="{{noticeHref}}">{{noticeLabel}}</a></li>{{/majors}}</ul></section>{{/hasMajors}}
        </div>
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension StationDesk {
    func addNoticeRoutes(_ router: Router<Context>) {
        page(router, "notices") { request, _, session in
            let loop = try loop()
            let meetings = try loop.meetings().sorted { ($0.time?.milliseconds ?? 0) > ($1.time?.milliseconds ?? 0) }.map {
                NoticeListPage.Row(noticeHref: "/notices/meeting/\($0.reference)", noticeLabel: "\($0.reference) \($0.form ?? "") \($0.time?.description ?? "")")
            }
            let results = try loop.topicSummaries().filter { !["raised", "classified"].contains($0.status ?? "") }.map {
                NoticeListPage.Row(noticeHref: "/notices/result/\($0.reference)", noticeLabel: "\($0.reference) \($0.title)（\($0.statusLabel)）")
            }
            let majors = try loop.majorMatters().sorted { $0.reference > $1.reference }.flatMap { major in
                (major.filedOn == nil ? [] : [NoticeListPage.Row(noticeHref: "/notices/major/\(major.reference)/resolution",
                                                                 noticeLabel: "\(major.reference) 决议公开（\(major.stage)）")])
                    + (major.resolutionPublishedOn == nil || major.outcome.isEmpty ? []
                        : [NoticeListPage.Row(noticeHref: "/notices/major/\(major.reference)/outcome", noticeLabel: "\(major.reference) 实施结果公开")])
            }
            return try show("notices", title: "公示", session: session, current: "/notices", request: request,
                            NoticeListPage(meetings: meetings, hasMeetings: !meetings.isEmpty, results: results, hasResults: !results.isEmpty,
                                           majors: majors, hasMajors: !majors.isEmpty))
        }
        page(router, "notices/meeting/:ref") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), try loop.meeting(reference) != nil else {
                return notFound("这个会议", session: session, request: request, back: "/notices")
            }
            var notice = try loop.meetingNotice(reference, communityName: loop.rules.communityName ?? replica.community)
            notice.linkOnline(try replica.note(SyncSession.boardNote).map { PublicBoard.Link.meeting($0, replica.community, reference) })
            return Desk.html(notice.html)
        }
        page(router, "notices/result/:ref") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), try loop.topic(reference) != nil else {
                return notFound("这个议题", session: session, request: request, back: "/notices")
            }
            var notice = try loop.resultNotice(reference, communityName: loop.rules.communityName ?? replica.community)
            notice.linkOnline(try replica.note(SyncSession.boardNote).map { PublicBoard.Link.topic($0, replica.community, reference) })
            return Desk.html(notice.html)
        }
    }
}
