import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiModel

/// 今日: what needs a worker's attention today, on one page.
struct TodayPage: Sendable {
    struct Late: Sendable {
        var lateRef: String
        var lateWhat: String
        var lateTopic: String
        var lateDeadline: String
        var lateDays: Int
    }

    struct Upcoming: Sendable {
        var meetingRef: String
        var meetingWhen: String
        var meetingForm: String
        var meetingPlace: String
        var noticeState: String
        var registered: Int
    }

    struct Waiting: Sendable {
        var waitingRef: String
        var waitingTitle: String
        var waitingRaised: String
    }

    var today: String
    var late: [Late]
    var lateCount: Int
    var hasLate: Bool
    var upcoming: [Upcoming]
    var hasUpcoming: Bool
    var conflictCount: Int
    var hasConflicts: Bool
    var unclassified: [Waiting]
    var hasUnclassified: Bool
    var mayRaise: Bool

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>今日 <span class="muted">{{today}}</span></h1>
        <div class="actions-row no-print">{{#mayRaise}}<a class="button" href="/topics/new">登记居民反映的事项</a>{{/mayRaise}}
          <a class="button secondary" href="/topics">查找议题</a></div>
        <div class="grid2">
        <section class="card" aria-labelledby="late-h">
          <h2 id="late-h">超期未办（{{lateCount}}）</h2>
          {{#hasLate}}<div class="table-wrap"><table>
            <caption class="muted">落实事项和上报件过了时限仍未完成的</caption>
            <thead><tr><th scope="col">编号</th><th scope="col">事项</th><th scope="col">时限</th><th scope="col">超期</th></tr></thead>
            <tbody>{{#late}}<tr><td><a href="/topics/{{lateTopic}}">{{lateRef}}</a></td><td>{{lateWhat}}</td><td>{{lateDeadline}}</td>
              <td><span class="tag late">{{lateDays}} 天</span></td></tr>{{/late}}</tbody>
          </table></div>{{/hasLate}}
          {{^hasLate}}<p>没有超期的事项。</p>{{/hasLate}}
        </section>
        <section class="card" aria-labelledby="meet-h">
          <h2 id="meet-h">近七天的会议</h2>
          {{#hasUpcoming}}<ul>{{#upcoming}}<li><a href="/meetings/{{meetingRef}}">{{meetingWhen}} {{meetingForm}}</a>，{{meetingPlace}}。
            {{noticeState}}；报名列席 {{registered}} 人。</li>{{/upcoming}}</ul>{{/hasUpcoming}}
          {{^hasUpcoming}}<p>近七天没有安排会议。</p>{{/hasUpcoming}}
        </section>
        <section class="card" aria-labelledby="conf-h">
          <h2 id="conf-h">等待确认的冲突</h2>
          {{#hasConflicts}}<p><a href="/conflicts">{{conflictCount}} 处修改互相冲突，需要有人确认</a>：两个站点同时改了同一内容，两边都保留着。</p>{{/hasConflicts}}
          {{^hasConflicts}}<p>没有冲突。</p>{{/hasConflicts}}
        </section>
        <section class="card" aria-labelledby="wait-h">
          <h2 id="wait-h">待分类的议题</h2>
          {{#hasUnclassified}}<ul>{{#unclassified}}<li><a href="/topics/{{waitingRef}}">{{waitingRef}} {{waitingTitle}}</a>（{{waitingRaised}} 登记）</li>{{/unclassified}}</ul>{{/hasUnclassified}}
          {{^hasUnclassified}}<p>所有议题都已分类。</p>{{/hasUnclassified}}
        </section>
        </div>
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension StationDesk {
    func addTodayRoutes(_ router: Router<Context>) {
        page(router, "today") { request, _, session in
            let loop = try loop()
            let today = loop.today
            var late: [TodayPage.Late] = []
            for action in try loop.actions() where Deadline.isOverdue(action.deadline, done: action.isDone, today: today) {
                late.append(.init(lateRef: action.reference, lateWhat: "落实：\(action.elements.owner ?? "")——\(action.elements.standard ?? "")",
                                  lateTopic: referenceOf(action.topic ?? ""), lateDeadline: action.deadline!.description,
                                  lateDays: Deadline.daysOverdue(action.deadline!, today: today)))
            }
            for escalation in try loop.escalations() where Deadline.isOverdue(escalation.deadline, done: escalation.isAnswered, today: today) {
                late.append(.init(lateRef: escalation.reference, lateWhat: "上报\(escalation.addressee)，未报到",
                                  lateTopic: referenceOf(escalation.topic ?? ""), lateDeadline: escalation.deadline!.description,
                                  lateDays: Deadline.daysOverdue(escalation.deadline!, today: today)))
            }
            late.sort { $0.lateDays > $1.lateDays }
            let weekEnd = LocalDate(dayNumber: today.dayNumber + 7)
            let upcoming = try loop.meetings().filter { meeting in
                guard let date = meeting.time?.date else { return false }
                return date >= today && date <= weekEnd
            }.sorted { $0.time! < $1.time! }.map { meeting in
                TodayPage.Upcoming(meetingRef: meeting.reference, meetingWhen: meeting.time!.description, meetingForm: meeting.form ?? "",
                                   meetingPlace: meeting.place ?? "", noticeState: MeetingPage.noticeState(meeting, rules: loop.rules, now: loop.now()),
                                   registered: meeting.registrations.count)
            }
            var waiting = TopicFilter()
            waiting.status = "raised"
            let unclassified = try loop.topicList(waiting, offset: 0, limit: 30).topics.map {
                TodayPage.Waiting(waitingRef: $0.reference, waitingTitle: $0.title, waitingRaised: $0.raisedOn?.description ?? "")
            }
            let conflicts = try loop.conflicts().count
            let page = TodayPage(today: today.chinese, late: late, lateCount: late.count, hasLate: !late.isEmpty, upcoming: upcoming, hasUpcoming: !upcoming.isEmpty,
                                 conflictCount: conflicts, hasConflicts: conflicts > 0, unclassified: unclassified, hasUnclassified: !unclassified.isEmpty,
                                 mayRaise: StationRole(rawValue: session.role)?.may(.intake) == true)
            return try show("today", title: "今日", session: session, current: "/today", request: request, page)
        }
        action(router, "sync", .sync, "同步") { request, _, _, fields in
            syncNow()
            let back = fields["back"].flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? desk.home
            return desk.redirect(back, flash: "已开始同步。稍后刷新页面，上方会显示结果。")
        }
    }
}
