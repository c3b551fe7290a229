import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiMerge
import YishiModel

/// One topic with everything about it: the matter, its meetings with ballots and tally,
/// its actions with the four elements, escalations, evaluations and points — and the
/// buttons for the next steps a worker may take.
struct TopicPage: Sendable {
    struct Fact: Sendable {
        var factLabel: String
        var factValue: String
    }

    struct MeetingRow: Sendable {
        var meetingRef: String
        var meetingTitle: String
        var meetingOutcome: String
        var tally: String
        var ballots: String
    }

    struct ActionRow: Sendable {
        var actionRef: String
        var owner: String
        var standard: String
        var deadline: String
        var supervisor: String
        var actionStatus: String
        var actionLate: Bool
        var rectification: Bool
        var rectifiedRound: Int?
        var notes: [String]
        var hasNotes: Bool
    }

    struct EscalationRow: Sendable {
        var escalationRef: String
        var escalationTo: String
        var reason: String
        var escalatedOn: String
        var escalationDeadline: String
        var escalationLate: Bool
        var answer: String
        var answered: Bool
    }

    struct EvaluationRow: Sendable {
        var roundLabel: String
        var summary: String
        var ratings: String
        var evaluationResult: String
    }

    struct Step: Sendable {
        var stepHref: String
        var stepLabel: String
    }

    var reference: String
    var title: String
    var statusLabel: String
    var facts: [Fact]
    var description: String
    var hasDescription: Bool
    var conflicts: Int
    var hasConflicts: Bool
    var meetings: [MeetingRow]
    var hasMeetings: Bool
    var actions: [ActionRow]
    var hasActions: Bool
    var escalations: [EscalationRow]
    var hasEscalations: Bool
    var evaluations: [EvaluationRow]
    var hasEvaluations: Bool
    var points: String?
    var steps: [Step]
    var hasSteps: Bool

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>{{title}} <span class="muted">{{reference}}</span></h1>
        <p><span class="tag">{{statusLabel}}</span>
          {{#hasConflicts}}<a class="tag conflict" href="/conflicts">{{conflicts}} 处冲突待确认</a>{{/hasConflicts}}</p>
        {{#hasSteps}}<nav class="actions-row no-print" aria-label="下一步">{{#steps}}<a class="button" href="{{stepHref}}">{{stepLabel}}</a>{{/steps}}
          <a class="button secondary" href="/topics/{{reference}}/history">修改记录</a></nav>{{/hasSteps}}
        {{^hasSteps}}<p class="no-print"><a href="/topics/{{reference}}/history">修改记录</a></p>{{/hasSteps}}
        <section class="card" aria-labelledby="basic-h"><h2 id="basic-h">基本情况</h2>
          <dl class="facts">{{#facts}}<dt>{{factLabel}}</dt><dd>{{factValue}}</dd>{{/facts}}</dl>
          {{#hasDescription}}<h3>反映的问题</h3><div class="minutes">{{description}}</div>{{/hasDescription}}
          {{#points}}<p><strong>积分：</strong>{{points}}</p>{{/points}}
        </section>
        <section class="card" aria-labelledby="meet-h"><h2 id="meet-h">协商会议</h2>
          {{#hasMeetings}}<div class="table-wrap"><table><thead><tr><th scope="col">会议</th><th scope="col">表决与结果</th></tr></thead><tbody>
          {{#meetings}}<tr><td><a href="/meetings/{{meetingRef}}">{{meetingTitle}}</a></td>
            <td>{{tally}}<br><span class="muted">{{ballots}}</span><br><strong>{{meetingOutcome}}</strong></td></tr>{{/meetings}}
          </tbody></table></div>{{/hasMeetings}}
          {{^hasMeetings}}<p>还没有安排会议。</p>{{/hasMeetings}}
        </section>
        <section class="card" aria-labelledby="act-h"><h2 id="act-h">落实事项</h2>
          {{#hasActions}}<div class="table-wrap"><table><thead><tr><th scope="col">编号</th><th scope="col">谁来干</th><th scope="col">干到什么标准</th>
            <th scope="col">什么时间干完</th><th scope="col">谁来监督</th><th scope="col">进度</th></tr></thead><tbody>
          {{#actions}}<tr><td><a href="/actions/{{actionRef}}">{{actionRef}}</a>{{#rectification}} <span class="tag">整改</span>{{/rectification}}</td><td>{{owner}}</td><td>{{standard}}</td><td>{{deadline}}</td><td>{{supervisor}}</td>
            <td>{{actionStatus}}{{#actionLate}} <span class="tag late">已超期</span>{{/actionLate}}
            {{#hasNotes}}<ul>{{#notes}}<li>{{.}}</li>{{/notes}}</ul>{{/hasNotes}}</td></tr>{{/actions}}
          </tbody></table></div>{{/hasActions}}
          {{^hasActions}}<p>还没有落实事项。</p>{{/hasActions}}
        </section>
        {{#hasEscalations}}<section class="card" aria-labelledby="esc-h"><h2 id="esc-h">上报办理</h2>
          <div class="table-wrap"><table><thead><tr><th scope="col">编号</th><th scope="col">上报到</th><th scope="col">原因</th><th scope="col">上报日期</th>
            <th scope="col">办理时限</th><th scope="col">部门报到与答复</th></tr></thead><tbody>
          {{#escalations}}<tr><td>{{escalationRef}}</td><td>{{escalationTo}}</td><td>{{reason}}</td><td>{{escalatedOn}}</td>
            <td>{{escalationDeadline}}{{#escalationLate}} <span class="tag late">已超期</span>{{/escalationLate}}</td>
            <td>{{answer}}{{^answered}} <a class="no-print" href="/escalations/{{escalationRef}}/respond">记录报到</a>{{/answered}}</td></tr>{{/escalations}}
          </tbody></table></div></section>{{/hasEscalations}}
        {{#hasEvaluations}}<section class="card" aria-labelledby="eva-h"><h2 id="eva-h">居民评议</h2>
          <div class="table-wrap"><table><thead><tr><th scope="col">轮次</th><th scope="col">评价</th><th scope="col">满意率</th><th scope="col">结论</th></tr></thead><tbody>
          {{#evaluations}}<tr><td>{{roundLabel}}</td><td>{{ratings}}</td><td>{{summary}}</td><td>{{evaluationResult}}</td></tr>{{/evaluations}}
          </tbody></table></div></section>{{/hasEvaluations}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

/// 修改记录: every op on the topic and on its actions, escalations and evaluations.
struct HistoryPage: Sendable {
    struct Line: Sendable {
        var when: String
        var station: String
        var author: String
        var what: String
        var change: String
    }

    var reference: String
    var title: String
    var lines: [Line]

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>修改记录 <span class="muted">{{reference}} {{title}}</span></h1>
        <p><a href="/topics/{{reference}}">返回议题</a></p>
        <div class="table-wrap"><table><caption class="muted">按先后次序；时间是修改所在站点的本机时间</caption>
          <thead><tr><th scope="col">时间</th><th scope="col">站点</th><th scope="col">修改人</th><th scope="col">内容</th><th scope="col">改动</th></tr></thead>
          <tbody>{{#lines}}<tr><td>{{when}}</td><td>{{station}}</td><td>{{author}}</td><td>{{what}}</td><td>{{change}}</td></tr>{{/lines}}</tbody>
        </table></div>
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension StationDesk {
    func topicPage(_ topic: Topic, _ loop: Deliberation, session: DeskSession) throws -> TopicPage {
        let role = StationRole(rawValue: session.role) ?? .viewer
        let proposer = topic.proposer
        var facts: [(String, String?)] = [
            ("状态", Workflow.topic.label(of: topic.status ?? "")), ("渠道", topic.channel),
            ("提议人", proposer.anonymous ? "匿名（\(proposer.name ?? "未留姓名")，公示不显示）" : proposer.name),
            ("住址", proposer.address), ("电话", proposer.phone.map { "\($0)（不上公示）" }),
            ("类别", topic.category ?? "未分类"), ("办理类别", topic.handling.map { $0 + "件" }),
            ("登记日期", topic.raisedOn?.description), ("办结日期", topic.closedOn?.description),
            ("协商轮次", topic.round > 0 ? "第 \(topic.round) 轮" : nil), ("建议评定", topic.idea),
        ]
        facts = facts.filter { !($0.1 ?? "").isEmpty }
        let members = try loop.members()
        let names = Dictionary(members.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let meetings = try topic.meetings.compactMap { try loop.meeting($0) }.sorted { $0.round(for: topic.id) < $1.round(for: topic.id) }.map { meeting in
            let ballots = meeting.ballots(onTopic: topic.id)
            let serving = Set(try loop.committee(on: (meeting.time ?? loop.now()).date).map(\.id))
            let tally = ConsensusTally(ballots: ballots, members: serving, percent: loop.rules.consensusPercent)
            return TopicPage.MeetingRow(
                meetingRef: meeting.reference,
                meetingTitle: "第 \(meeting.round(for: topic.id)) 轮 \(meeting.form ?? "协商会议") \(meeting.time?.description ?? "")",
                meetingOutcome: meeting.outcome(for: topic.id) ?? "尚未结束本轮协商",
                tally: ballots.isEmpty ? "尚未表决" : tally.summary,
                ballots: ballots.sorted { $0.key < $1.key }.map { "\(names[$0.key] ?? referenceOf($0.key)) \($0.value)" }.joined(separator: "，"))
        }
        let actions = try topic.actions.compactMap { try loop.action($0) }.map { action in
            TopicPage.ActionRow(
                actionRef: action.reference, owner: action.elements.owner ?? "（未写）", standard: action.elements.standard ?? "（未写）",
                deadline: action.elements.deadline ?? "（未写）", supervisor: action.elements.supervisor ?? "（未写）",
                actionStatus: Workflow.action.label(of: action.status ?? ""),
                actionLate: Deadline.isOverdue(action.deadline, done: action.isDone, today: loop.today),
                rectification: action.isRectification, rectifiedRound: action.isRectification ? action.round : nil,
                notes: action.notes, hasNotes: !action.notes.isEmpty)
        }
        let escalations = try topic.escalations.compactMap { try loop.escalation($0) }.map { escalation in
            TopicPage.EscalationRow(
                escalationRef: escalation.reference, escalationTo: "\(escalation.addressee)",
                reason: escalation.reason ?? "", escalatedOn: escalation.escalatedOn?.description ?? "",
                escalationDeadline: escalation.deadline?.description ?? "未定",
                escalationLate: Deadline.isOverdue(escalation.deadline, done: escalation.isAnswered, today: loop.today),
                answer: escalation.response.map { "\(escalation.reportedOn?.description ?? "") 报到，答复：\($0)" } ?? "待部门报到",
                answered: escalation.isAnswered)
        }
        let evaluations = try loop.evaluations().filter { $0.topic == topic.id }.sorted { $0.round < $1.round }.map { evaluation in
            let assessment = SatisfactionAssessment(ratings: Array(evaluation.ratings.values), percent: loop.rules.satisfactionPercent)
            return TopicPage.EvaluationRow(
                roundLabel: evaluation.round == 1 ? "第 1 轮" : "第 \(evaluation.round) 轮（再次验收）",
                summary: assessment.summary,
                ratings: evaluation.ratings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "，"),
                evaluationResult: evaluation.result == nil ? "评议中" : (assessment.passed ? "通过验收" : "整改"))
        }
        var steps: [TopicPage.Step] = []
        let status = topic.status ?? ""
        let open = !["closed", "withdrawn"].contains(status)
        if role.may(.intake), open {
            steps.append(.init(stepHref: "/topics/\(topic.reference)/classify", stepLabel: topic.handling == nil ? "分类" : "重新分类"))
            steps.append(.init(stepHref: "/topics/\(topic.reference)/edit", stepLabel: "修改标题和内容"))
        }
        if role.may(.loop) {
            if open, !["shelved", "evaluating", "rectifying", "implementing"].contains(status) {
                steps.append(.init(stepHref: "/meetings/new?topic=\(topic.reference)", stepLabel: "安排协商会议"))
            }
            if status == "shelved" { steps.append(.init(stepHref: "/topics/\(topic.reference)/reopen", stepLabel: "重新协商")) }
            if open, !topic.meetings.isEmpty { steps.append(.init(stepHref: "/topics/\(topic.reference)/actions/new", stepLabel: "添加落实事项")) }
            if open { steps.append(.init(stepHref: "/topics/\(topic.reference)/escalate", stepLabel: "上报街道或区")) }
            if ["implementing", "evaluating", "rectifying"].contains(status) {
                steps.append(.init(stepHref: "/topics/\(topic.reference)/evaluate", stepLabel: "记录居民评价"))
            }
            if status == "evaluating" { steps.append(.init(stepHref: "/topics/\(topic.reference)/evaluation/close", stepLabel: "结束本轮评议")) }
            if status == "rectifying", !actions.contains(where: { $0.rectifiedRound == topic.evaluationRound - 1 }) {
                steps.append(.init(stepHref: "/topics/\(topic.reference)/rectify", stepLabel: "记录整改"))
            }
            if topic.idea == nil, !proposer.anonymous, proposer.name != nil {
                steps.append(.init(stepHref: "/topics/\(topic.reference)/idea", stepLabel: "评为金点子/好法子"))
            }
        }
        if !topic.meetings.isEmpty || status == "closed" {
            steps.append(.init(stepHref: "/notices/result/\(topic.reference)", stepLabel: "结果公示"))
        }
        let points = topic.idea.flatMap { mark in proposer.name.map { "\($0) 因\(mark)记 \(loop.rules.pointsPerIdea) 分" } }
        return TopicPage(
            reference: topic.reference, title: topic.title, statusLabel: Workflow.topic.label(of: status),
            facts: facts.map { TopicPage.Fact(factLabel: $0.0, factValue: $0.1!) },
            description: topic.description, hasDescription: !topic.description.isEmpty,
            conflicts: topic.conflicts, hasConflicts: topic.conflicts > 0,
            meetings: meetings, hasMeetings: !meetings.isEmpty, actions: actions, hasActions: !actions.isEmpty,
            escalations: escalations, hasEscalations: !escalations.isEmpty, evaluations: evaluations,
            hasEvaluations: !evaluations.isEmpty, points: points, steps: steps, hasSteps: !steps.isEmpty)
    }

    func addTopicPageRoutes(_ router: Router<Context>) {
        page(router, "topics/:ref") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), let topic = try loop.topic(reference) else {
                return notFound("这个议题", session: session, request: request, back: "/topics")
            }
            return try show("topic", title: "\(topic.reference) \(topic.title)", session: session, current: "/topics",
                            request: request, try topicPage(topic, loop, session: session))
        }
        page(router, "topics/:ref/history") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), let topic = try loop.topic(reference) else {
                return notFound("这个议题", session: session, request: request, back: "/topics")
            }
            let records = [topic.id] + topic.actions + topic.escalations
                + (try loop.evaluations().filter { $0.topic == topic.id }.map(\.id))
            let ops = try records.flatMap { try loop.replica.history(ofRecord: $0) }
                .sorted { ($0.lamport, $0.dot.replica, $0.dot.counter) < ($1.lamport, $1.dot.replica, $1.dot.counter) }
            let lines = ops.map { op in
                let type = Schema.type(ofRecord: op.record)
                let what = (op.record == topic.id ? "" : "\(type?.label ?? "") \(referenceOf(op.record)) ")
                    + (type?.field(op.field)?.label ?? op.field)
                return HistoryPage.Line(when: op.wallTime.beijingMinutes, station: op.dot.replica.rawValue, author: op.author,
                                        what: what, change: HistoryText.summary(op.change, record: op.record))
            }
            return try show("history", title: "修改记录 \(topic.reference)", session: session, current: "/topics", request: request,
                            HistoryPage(reference: topic.reference, title: topic.title, lines: lines))
        }
    }
}
