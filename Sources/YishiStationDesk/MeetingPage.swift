import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiMerge
import YishiModel

/// 会议: every meeting, newest first.
struct MeetingListPage: Sendable {
    struct Row: Sendable {
        var rowRef: String
        var rowWhen: String
        var rowForm: String
        var rowPlace: String
        var rowNotice: String
        var rowFinal: Bool
    }

    /// 两委联席会议, which confirm topics before they come here.
    struct JointRow: Sendable {
        var jointRef: String
        var jointDate: String
        var jointPeople: String
        var jointDecisions: String
    }

    var rows: [Row]
    var hasRows: Bool
    var joints: [JointRow]
    var hasJoints: Bool
    var mayWrite: Bool

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>协商会议</h1>
        <p>安排会议请从议题页面点“安排协商会议”，会议须提前公示。</p>
        <section class="card" aria-labelledby="joint-h"><h2 id="joint-h">两委联席会议</h2>
          <p>议题须经社区党组织和居委会联席会议确定，才能提交议事厅协商。{{#mayWrite}} <a class="button" href="/joint/new">记录两委联席会议</a>{{/mayWrite}}</p>
          {{#hasJoints}}<div class="table-wrap"><table><thead><tr><th scope="col">编号</th><th scope="col">日期</th><th scope="col">参加人员</th><th scope="col">决定</th></tr></thead><tbody>
          {{#joints}}<tr><td>{{jointRef}}</td><td>{{jointDate}}</td><td>{{jointPeople}}</td><td>{{jointDecisions}}</td></tr>{{/joints}}
          </tbody></table></div>{{/hasJoints}}</section>
        {{#hasRows}}<div class="table-wrap"><table><thead><tr><th scope="col">编号</th><th scope="col">时间</th><th scope="col">形式</th>
          <th scope="col" class="hide-narrow">地点</th><th scope="col">公示</th><th scope="col">纪要</th></tr></thead><tbody>
          {{#rows}}<tr><td><a href="/meetings/{{rowRef}}">{{rowRef}}</a></td><td>{{rowWhen}}</td><td>{{rowForm}}</td><td class="hide-narrow">{{rowPlace}}</td>
          <td>{{rowNotice}}</td><td>{{#rowFinal}}已定稿{{/rowFinal}}{{^rowFinal}}未定稿{{/rowFinal}}</td></tr>{{/rows}}
        </tbody></table></div>{{/hasRows}}
        {{^hasRows}}<p>还没有会议。</p>{{/hasRows}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

/// One meeting: its notice, people, topics with their ballots, minutes and actions.
struct MeetingPage: Sendable {
    struct Fact: Sendable {
        var factLabel: String
        var factValue: String
    }

    struct TopicRow: Sendable {
        var topicRef: String
        var topicTitle: String
        var topicRound: Int
        var topicOutcome: String
        var tally: String
        var ballots: String
        var mayVote: Bool
    }

    struct ActionRow: Sendable {
        var actionRef: String
        var elements: String
        var missing: String?
    }

    var reference: String
    var heading: String
    var facts: [Fact]
    var topics: [TopicRow]
    var participants: String
    var registrations: String
    var attendance: String
    var consultation: String
    var minutes: String
    var hasMinutes: Bool
    var minutesFinal: Bool
    var actions: [ActionRow]
    var hasActions: Bool
    var mayWrite: Bool
    var registrationOpen: Bool
    var hasNewerContent: Bool
    var newerContent: String

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>{{heading}} <span class="muted">{{reference}}</span></h1>
        {{#hasNewerContent}}<p class="newer no-print" role="note">有新版本的内容，请升级后查看：{{newerContent}}。这些内容已保存在本机，升级后即可看到，无需重新同步。</p>{{/hasNewerContent}}
        <nav class="actions-row no-print" aria-label="会议的操作">
          <a class="button secondary" href="/notices/meeting/{{reference}}">会议公示（打印）</a>
          {{#mayWrite}}
          {{#registrationOpen}}<a class="button" href="/meetings/{{reference}}/register">登记报名列席</a>{{/registrationOpen}}
          <a class="button" href="/meetings/{{reference}}/consult">入户征求意见</a>
          <a class="button" href="/meetings/{{reference}}/attend">记录到会人员</a>
          {{^minutesFinal}}<a class="button" href="/meetings/{{reference}}/minutes">写会议纪要</a>
          <a class="button" href="/meetings/{{reference}}/finalise">纪要定稿</a>{{/minutesFinal}}
          {{/mayWrite}}
        </nav>
        <section class="card" aria-labelledby="notice-h"><h2 id="notice-h">会议与公示</h2>
          <dl class="facts">{{#facts}}<dt>{{factLabel}}</dt><dd>{{factValue}}</dd>{{/facts}}</dl></section>
        <section class="card" aria-labelledby="topics-h"><h2 id="topics-h">议题与表决</h2>
          <p class="muted">须全体在任委员的 80% 同意才算达成共识；缺席、弃权都不算同意。</p>
          <div class="table-wrap"><table><thead><tr><th scope="col">议题</th><th scope="col">表决</th><th scope="col" class="no-print">操作</th></tr></thead><tbody>
          {{#topics}}<tr><td><a href="/topics/{{topicRef}}">{{topicRef}} {{topicTitle}}</a><br>第 {{topicRound}} 轮</td>
            <td>{{tally}}<br><span class="muted">{{ballots}}</span><br><strong>{{topicOutcome}}</strong></td>
            <td class="no-print">{{#mayVote}}<a href="/meetings/{{reference}}/vote?topic={{topicRef}}">记录表决</a><br>
              <a href="/meetings/{{reference}}/close?topic={{topicRef}}">结束本轮协商</a>{{/mayVote}}</td></tr>{{/topics}}
          </tbody></table></div>
        </section>
        <section class="card" aria-labelledby="people-h"><h2 id="people-h">人员</h2>
          <dl class="facts"><dt>参加人员</dt><dd>{{participants}}</dd><dt>报名列席</dt><dd>{{registrations}}</dd>
          <dt>实到人员</dt><dd>{{attendance}}</dd><dt>入户征求意见</dt><dd>{{consultation}}</dd></dl></section>
        <section class="card" aria-labelledby="min-h"><h2 id="min-h">会议纪要{{#minutesFinal}}（已定稿）{{/minutesFinal}}</h2>
          {{#hasMinutes}}<div class="minutes">{{minutes}}</div>{{/hasMinutes}}{{^hasMinutes}}<p>还没有纪要。</p>{{/hasMinutes}}
          <h3>落实事项</h3>
          {{#hasActions}}<ul>{{#actions}}<li><a href="/actions/{{actionRef}}">{{actionRef}}</a> {{elements}}{{#missing}} <span class="tag late">缺：{{missing}}</span>{{/missing}}</li>{{/actions}}</ul>{{/hasActions}}
          {{^hasActions}}<p>还没有落实事项（在议题页面添加）。</p>{{/hasActions}}
        </section>
        {{/page}}{{/main}}{{/layout}}
        """#

    /// Where the notice stands: up since when, how long before the meeting, urgent or not.
    static func noticeState(_ meeting: Meeting, rules: CommunityRules, now: LocalDateTime) -> String {
        guard let posted = meeting.noticePostedAt, let time = meeting.time else { return "未公示" }
        if now >= time { return "已召开（\(posted) 起公示）" }
        let days = (time.milliseconds - posted.milliseconds) / 86_400_000
        if let reason = meeting.urgentReason { return "公示中（紧急，公示不足 \(rules.noticeDays) 天：\(reason)）" }
        return "公示中（\(posted) 起，提前 \(days) 天）"
    }
}

extension StationDesk {
    func meetingPage(_ meeting: Meeting, _ loop: Deliberation, session: DeskSession) throws -> MeetingPage {
        let now = loop.now()
        let members = try loop.committee(on: (meeting.time ?? now).date)
        let names = Dictionary(try loop.members().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let mayWrite = StationRole(rawValue: session.role)?.may(.loop) == true
        let topics = try meeting.topics.compactMap { try loop.topic($0) }.map { topic in
            let ballots = meeting.ballots(onTopic: topic.id)
            let tally = ConsensusTally(ballots: ballots, members: Set(members.map(\.id)),
                                       percent: meeting.consensusPercent(onTopic: topic.id) ?? loop.rules.consensusPercent)
            return MeetingPage.TopicRow(
                topicRef: topic.reference, topicTitle: topic.title, topicRound: meeting.round(for: topic.id),
                topicOutcome: meeting.outcome(for: topic.id) ?? "尚未结束本轮协商", tally: ballots.isEmpty ? "尚未表决" : tally.summary,
                ballots: ballots.sorted { $0.key < $1.key }.map { "\(names[$0.key] ?? referenceOf($0.key)) \($0.value)" }.joined(separator: "，"),
                mayVote: mayWrite)
        }
        let actions = try loop.actions().filter { $0.meeting == meeting.id }.map { action in
            MeetingPage.ActionRow(
                actionRef: action.reference,
                elements: "\(action.elements.owner ?? "？")负责，\(action.elements.standard ?? "？")，\(action.elements.deadline ?? "？")前完成，\(action.elements.supervisor ?? "？")监督",
                missing: action.elements.missing.isEmpty ? nil : action.elements.missing.joined(separator: "、"))
        }
        var facts: [(String, String?)] = [
            ("会议形式", meeting.form), ("会议时间", meeting.time?.description), ("会议地点", meeting.place),
            ("主持人", meeting.host), ("记录人", meeting.recorder), ("主要内容", meeting.content),
            ("公示", MeetingPage.noticeState(meeting, rules: loop.rules, now: now)),
        ]
        facts = facts.filter { !($0.1 ?? "").isEmpty }
        let registrationOpen = meeting.noticePostedAt.map { $0 <= now } == true && meeting.time.map { now < $0 } == true
        return MeetingPage(
            reference: meeting.reference, heading: "\(meeting.form ?? "协商会议") \(meeting.time?.description ?? "")",
            facts: facts.map { .init(factLabel: $0.0, factValue: $0.1!) }, topics: topics,
            participants: meeting.participants.isEmpty ? "（未列出）" : meeting.participants.joined(separator: "、"),
            registrations: meeting.registrations.isEmpty ? "（无）" : meeting.registrations.joined(separator: "、"),
            attendance: meeting.attendance.isEmpty ? "（未记录）" : meeting.attendance.joined(separator: "、"),
            consultation: meeting.consultation?.summary ?? "（未进行）",
            minutes: meeting.minutes, hasMinutes: !meeting.minutes.isEmpty, minutesFinal: meeting.minutesFinal,
            actions: actions, hasActions: !actions.isEmpty, mayWrite: mayWrite, registrationOpen: registrationOpen,
            hasNewerContent: !meeting.newerContent.isEmpty, newerContent: meeting.newerContent.joined(separator: "、"))
    }

    func addMeetingPageRoutes(_ router: Router<Context>) {
        page(router, "meetings") { request, _, session in
            let loop = try loop()
            let rows = try loop.meetings().sorted { ($0.time?.milliseconds ?? 0) > ($1.time?.milliseconds ?? 0) }.map { meeting in
                MeetingListPage.Row(rowRef: meeting.reference, rowWhen: meeting.time?.description ?? "", rowForm: meeting.form ?? "",
                                    rowPlace: meeting.place ?? "", rowNotice: MeetingPage.noticeState(meeting, rules: loop.rules, now: loop.now()),
                                    rowFinal: meeting.minutesFinal)
            }
            let joints = try loop.jointMeetings().sorted { ($0.date?.description ?? "") > ($1.date?.description ?? "") }.map { joint in
                MeetingListPage.JointRow(
                    jointRef: joint.reference, jointDate: joint.date?.description ?? "", jointPeople: joint.participants.joined(separator: "、"),
                    jointDecisions: joint.decisions.sorted { $0.key < $1.key }.map { "\(referenceOf($0.key)) \($0.value)" }.joined(separator: "；"))
            }
            return try show("meetings", title: "协商会议", session: session, current: "/meetings", request: request,
                            MeetingListPage(rows: rows, hasRows: !rows.isEmpty, joints: joints, hasJoints: !joints.isEmpty,
                                            mayWrite: StationRole(rawValue: session.role)?.may(.loop) == true))
        }
        page(router, "meetings/:ref") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), let meeting = try loop.meeting(reference) else {
                return notFound("这个会议", session: session, request: request, back: "/meetings")
            }
            return try show("meeting", title: "会议 \(meeting.reference)", session: session, current: "/meetings", request: request,
                            try meetingPage(meeting, loop, session: session))
        }
    }
}
