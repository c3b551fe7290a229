import YishiDeliberation
import YishiDesk
import YishiMerge
import YishiModel

/// One topic with everything about it: the matter, its meetings with ballots and tally,
/// its actions with the four elements, escalations, evaluations and points — and, at a
/// station, the buttons for the next steps a worker may take. The office shows the same
/// page read-only, for any community.
public struct TopicView: Sendable {
    /// Where the page's links lead, which is where the desks differ.
    public struct Place: Sendable {
        /// The topic pages' folder: `/topics` at a station.
        public var topicBase: String
        /// The station's meeting, action and conflict pages; the office has none.
        public var stationLinks: Bool
        /// Where a department's report is recorded, for a role that may: `/escalations`.
        public var respondBase: String?
        /// A link back to the list the page belongs to, where the desk's menu has none.
        public var back: (href: String, label: String)?

        public init(topicBase: String, stationLinks: Bool, respondBase: String?, back: (href: String, label: String)? = nil) {
            self.topicBase = topicBase
            self.stationLinks = stationLinks
            self.respondBase = respondBase
            self.back = back
        }
    }

    /// A button for a next step.
    public struct Step: Sendable {
        var stepHref: String
        var stepLabel: String

        public init(_ href: String, _ label: String) {
            stepHref = href
            stepLabel = label
        }
    }

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
        var respondHref: String?
    }

    /// A procedure of the seeds on the topic (street opinion, residents' assembly, major
    /// matter, mediation): what it is, where it stands, its details line by line.
    struct ProcedureRow: Sendable {
        var procedureKind: String
        var procedureRef: String
        var procedureHref: String?
        var procedureState: String
        var procedureLines: [String]
    }

    struct EvaluationRow: Sendable {
        var roundLabel: String
        var summary: String
        var ratings: String
        var evaluationResult: String
    }

    var reference: String
    var title: String
    var statusLabel: String
    var facts: [Fact]
    var description: String
    var hasDescription: Bool
    var conflicts: Int
    var hasConflicts: Bool
    var hasNewerContent: Bool
    var newerContent: String
    var meetings: [MeetingRow]
    var hasMeetings: Bool
    var actions: [ActionRow]
    var hasActions: Bool
    var escalations: [EscalationRow]
    var hasEscalations: Bool
    var evaluations: [EvaluationRow]
    var hasEvaluations: Bool
    var procedures: [ProcedureRow]
    var hasProcedures: Bool
    var points: String?
    var steps: [Step]
    var hasSteps: Bool
    var topicBase: String
    var stationLinks: Bool
    var backHref: String?
    var backLabel: String?

    public static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        {{#backHref}}<p class="no-print"><a href="{{backHref}}">{{backLabel}}</a></p>{{/backHref}}
        <h1>{{title}} <span class="muted">{{reference}}</span></h1>
        <p><span class="tag">{{statusLabel}}</span>
          {{#hasConflicts}}{{#stationLinks}}<a class="tag conflict" href="/conflicts">{{conflicts}} 处冲突待确认</a>{{/stationLinks}}{{^stationLinks}}<span class="tag conflict">{{conflicts}} 处冲突待站点确认</span>{{/stationLinks}}{{/hasConflicts}}</p>
        {{#hasNewerContent}}<p class="newer no-print" role="note">有新版本的内容，请升级后查看：{{newerContent}}。这些内容已保存在本机，升级后即可看到，无需重新同步。</p>{{/hasNewerContent}}
        {{#hasSteps}}<nav class="actions-row no-print" aria-label="下一步">{{#steps}}<a class="button" href="{{stepHref}}">{{stepLabel}}</a>{{/steps}}
          <a class="button secondary" href="{{topicBase}}/{{reference}}/history">修改记录</a></nav>{{/hasSteps}}
        {{^hasSteps}}<p class="no-print"><a href="{{topicBase}}/{{reference}}/history">修改记录</a></p>{{/hasSteps}}
        <section class="card" aria-labelledby="basic-h"><h2 id="basic-h">基本情况</h2>
          <dl class="facts">{{#facts}}<dt>{{factLabel}}</dt><dd>{{factValue}}</dd>{{/facts}}</dl>
          {{#hasDescription}}<h3>反映的问题</h3><div class="minutes">{{description}}</div>{{/hasDescription}}
          {{#points}}<p><strong>积分：</strong>{{points}}</p>{{/points}}
        </section>
        <section class="card" aria-labelledby="meet-h"><h2 id="meet-h">协商会议</h2>
          {{#hasMeetings}}<div class="table-wrap"><table><thead><tr><th scope="col">会议</th><th scope="col">表决与结果</th></tr></thead><tbody>
          {{#meetings}}<tr><td>{{#stationLinks}}<a href="/meetings/{{meetingRef}}">{{meetingTitle}}</a>{{/stationLinks}}{{^stationLinks}}{{meetingTitle}}{{/stationLinks}}</td>
            <td>{{tally}}<br><span class="muted">{{ballots}}</span><br><strong>{{meetingOutcome}}</strong></td></tr>{{/meetings}}
          </tbody></table></div>{{/hasMeetings}}
          {{^hasMeetings}}<p>还没有安排会议。</p>{{/hasMeetings}}
        </section>
        <section class="card" aria-labelledby="act-h"><h2 id="act-h">落实事项</h2>
          {{#hasActions}}<div class="table-wrap"><table><thead><tr><th scope="col">编号</th><th scope="col">谁来干</th><th scope="col">干到什么标准</th>
            <th scope="col">什么时间干完</th><th scope="col">谁来监督</th><th scope="col">进度</th></tr></thead><tbody>
          {{#actions}}<tr><td>{{#stationLinks}}<a href="/actions/{{actionRef}}">{{actionRef}}</a>{{/stationLinks}}{{^stationLinks}}{{actionRef}}{{/stationLinks}}{{#rectification}} <span class="tag">整改</span>{{/rectification}}</td><td>{{owner}}</td><td>{{standard}}</td><td>{{deadline}}</td><td>{{supervisor}}</td>
            <td>{{actionStatus}}{{#actionLate}} <span class="tag late">已超期</span>{{/actionLate}}
            {{#hasNotes}}<ul>{{#notes}}<li>{{.}}</li>{{/notes}}</ul>{{/hasNotes}}</td></tr>{{/actions}}
          </tbody></table></div>{{/hasActions}}
          {{^hasActions}}<p>还没有落实事项。</p>{{/hasActions}}
        </section>
        {{#hasProcedures}}<section class="card" aria-labelledby="proc-h"><h2 id="proc-h">确定议题、征询、居民会议、重大事项与调解</h2>
          {{#procedures}}<div class="procedure"><h3>{{procedureKind}} {{#procedureHref}}<a href="{{procedureHref}}">{{procedureRef}}</a>{{/procedureHref}}{{^procedureHref}}{{procedureRef}}{{/procedureHref}}
            <span class="tag">{{procedureState}}</span></h3>
            <ul>{{#procedureLines}}<li>{{.}}</li>{{/procedureLines}}</ul></div>{{/procedures}}
        </section>{{/hasProcedures}}
        {{#hasEscalations}}<section class="card" aria-labelledby="esc-h"><h2 id="esc-h">上报办理</h2>
          <div class="table-wrap"><table><thead><tr><th scope="col">编号</th><th scope="col">上报到</th><th scope="col">原因</th><th scope="col">上报日期</th>
            <th scope="col">办理时限</th><th scope="col">部门报到与答复</th></tr></thead><tbody>
          {{#escalations}}<tr><td>{{escalationRef}}</td><td>{{escalationTo}}</td><td>{{reason}}</td><td>{{escalatedOn}}</td>
            <td>{{escalationDeadline}}{{#escalationLate}} <span class="tag late">已超期</span>{{/escalationLate}}</td>
            <td>{{answer}}{{^answered}}{{#respondHref}} <a class="no-print" href="{{respondHref}}">记录报到</a>{{/respondHref}}{{/answered}}</td></tr>{{/escalations}}
          </tbody></table></div></section>{{/hasEscalations}}
        {{#hasEvaluations}}<section class="card" aria-labelledby="eva-h"><h2 id="eva-h">居民评议</h2>
          <div class="table-wrap"><table><thead><tr><th scope="col">轮次</th><th scope="col">评价</th><th scope="col">满意率</th><th scope="col">结论</th></tr></thead><tbody>
          {{#evaluations}}<tr><td>{{roundLabel}}</td><td>{{ratings}}</td><td>{{summary}}</td><td>{{evaluationResult}}</td></tr>{{/evaluations}}
          </tbody></table></div></section>{{/hasEvaluations}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

/// 修改记录: every op on the topic and on its actions, escalations and evaluations.
public struct HistoryView: Sendable {
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
    var topicBase: String

    public static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <h1>修改记录 <span class="muted">{{reference}} {{title}}</span></h1>
        <p><a href="{{topicBase}}/{{reference}}">返回议题</a></p>
        <div class="table-wrap"><table><caption class="muted">按先后次序；时间是修改所在站点的本机时间</caption>
          <thead><tr><th scope="col">时间</th><th scope="col">站点</th><th scope="col">修改人</th><th scope="col">内容</th><th scope="col">改动</th></tr></thead>
          <tbody>{{#lines}}<tr><td>{{when}}</td><td>{{station}}</td><td>{{author}}</td><td>{{what}}</td><td>{{change}}</td></tr>{{/lines}}</tbody>
        </table></div>
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension TopicView {
    /// The page of `topic`, with the steps the desk offers this person.
    public static func page(_ topic: Topic, _ loop: Deliberation, place: Place, steps: [Step]) throws -> Any {
        let proposer = topic.proposer
        var facts: [(String, String?)] = [
            ("状态", topic.statusText), ("渠道", topic.channel),
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
            let tally = ConsensusTally(ballots: ballots, members: serving, percent: meeting.consensusPercent(onTopic: topic.id) ?? loop.rules.consensusPercent)
            return MeetingRow(
                meetingRef: meeting.reference,
                meetingTitle: "第 \(meeting.round(for: topic.id)) 轮 \(meeting.form ?? "协商会议") \(meeting.time?.description ?? "")",
                meetingOutcome: meeting.outcome(for: topic.id) ?? "尚未结束本轮协商",
                tally: ballots.isEmpty ? "尚未表决" : tally.summary,
                ballots: ballots.sorted { $0.key < $1.key }.map { "\(names[$0.key] ?? referenceOf($0.key)) \($0.value)" }.joined(separator: "，"))
        }
        let actions = try topic.actions.compactMap { try loop.action($0) }.map { action in
            ActionRow(
                actionRef: action.reference, owner: action.elements.owner ?? "（未写）", standard: action.elements.standard ?? "（未写）",
                deadline: action.elements.deadline ?? "（未写）", supervisor: action.elements.supervisor ?? "（未写）",
                actionStatus: Workflow.action.label(of: action.status ?? ""),
                actionLate: Deadline.isOverdue(action.deadline, done: action.isDone, today: loop.today),
                rectification: action.isRectification, rectifiedRound: action.isRectification ? action.round : nil,
                notes: action.notes, hasNotes: !action.notes.isEmpty)
        }
        let escalations = try topic.escalations.compactMap { try loop.escalation($0) }.map { escalation in
            EscalationRow(
                escalationRef: escalation.reference, escalationTo: "\(escalation.addressee)",
                reason: escalation.reason ?? "", escalatedOn: escalation.escalatedOn?.description ?? "",
                escalationDeadline: escalation.deadline?.description ?? "未定",
                escalationLate: Deadline.isOverdue(escalation.deadline, done: escalation.isAnswered, today: loop.today),
                answer: escalation.response.map { "\(escalation.reportedOn?.description ?? "") 报到，答复：\($0)" }
                    ?? (place.respondBase == nil ? "待部门报到（部门答复由街道录入，同步后显示）" : "待部门报到"),
                answered: escalation.isAnswered,
                respondHref: place.respondBase.map { "\($0)/\(escalation.reference)/respond" })
        }
        let evaluations = try loop.evaluations(of: topic).map { evaluation in
            let assessment = SatisfactionAssessment(ratings: Array(evaluation.ratings.values), percent: evaluation.judgedPercent ?? loop.rules.satisfactionPercent)
            return EvaluationRow(
                roundLabel: evaluation.round == 1 ? "第 1 轮" : "第 \(evaluation.round) 轮（再次验收）",
                summary: assessment.summary,
                ratings: evaluation.ratings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "，"),
                evaluationResult: evaluation.result == nil ? "评议中" : (assessment.passed ? "通过验收" : "整改"))
        }
        let procedures = try Self.procedures(topic, loop, stationLinks: place.stationLinks)
        let newer = try loop.newerContent(around: topic)
        let points = topic.idea.flatMap { mark in proposer.name.map { "\($0) 因\(mark)记 \(loop.rules.pointsPerIdea) 分" } }
        return TopicView(
            reference: topic.reference, title: topic.title, statusLabel: topic.statusText,
            facts: facts.map { Fact(factLabel: $0.0, factValue: $0.1!) },
            description: topic.description, hasDescription: !topic.description.isEmpty,
            conflicts: topic.conflicts, hasConflicts: topic.conflicts > 0, hasNewerContent: !newer.isEmpty, newerContent: newer.joined(separator: "、"),
            meetings: meetings, hasMeetings: !meetings.isEmpty, actions: actions, hasActions: !actions.isEmpty,
            escalations: escalations, hasEscalations: !escalations.isEmpty, evaluations: evaluations,
            hasEvaluations: !evaluations.isEmpty, procedures: procedures, hasProcedures: !procedures.isEmpty, points: points, steps: steps, hasSteps: !steps.isEmpty,
            topicBase: place.topicBase, stationLinks: place.stationLinks, backHref: place.back?.href, backLabel: place.back?.label)
    }

    /// The seeds' procedures on a topic, oldest first within each kind.
    static func procedures(_ topic: Topic, _ loop: Deliberation, stationLinks: Bool) throws -> [ProcedureRow] {
        var rows: [ProcedureRow] = []
        if let id = topic.jointMeeting, let joint = try loop.jointMeeting(id) {
            rows.append(ProcedureRow(procedureKind: "两委联席会议", procedureRef: joint.reference, procedureHref: nil,
                                     procedureState: joint.decisions[topic.id] == JointMeeting.confirmed ? "确定为议题" : "暂不列入",
                                     procedureLines: ["\(joint.date?.description ?? "")，参加：\(joint.participants.joined(separator: "、"))",
                                                      joint.decisions[topic.id] ?? ""]))
        }
        for id in topic.opinions {
            guard let opinion = try loop.opinion(id) else { continue }
            rows.append(ProcedureRow(procedureKind: "街道意见征询", procedureRef: opinion.reference, procedureHref: nil,
                                     procedureState: opinion.isAnswered ? "街道已答复" : "待街道答复",
                                     procedureLines: ["\(opinion.askedOn?.description ?? "") 征询：\(opinion.question ?? "")"]
                                        + (opinion.answer.map { ["\(opinion.answeredOn?.description ?? "") 街道意见：\($0)"] } ?? [])))
        }
        for id in topic.assemblies {
            guard let assembly = try loop.assembly(id) else { continue }
            rows.append(ProcedureRow(procedureKind: "居民会议", procedureRef: assembly.reference, procedureHref: nil,
                                     procedureState: assembly.vote?.outcome.rawValue ?? "",
                                     procedureLines: ["\(assembly.date?.description ?? "")，\(assembly.convenedAs ?? "")", assembly.result ?? ""]))
        }
        if let id = topic.major, let major = try loop.majorMatter(id) {
            var lines = MajorMatter.steps.compactMap { step in
                major.stepDates[step].map { "\(step) \($0)：\(major.stepPeople[step] ?? "")" + (major.stepNotes[step].map { "——\($0)" } ?? "") }
            }
            if let filed = major.filedOn {
                lines.append("\(filed) 报街道党工委备案" + (major.acknowledgedOn.map { "，\($0) 由 \(major.acknowledgedBy ?? "") 签收" } ?? "，待签收"))
            }
            if let published = major.resolutionPublishedOn { lines.append("\(published) 公开决议") }
            if let published = major.outcomePublishedOn { lines.append("\(published) 公开实施结果") }
            rows.append(ProcedureRow(procedureKind: "重大事项（五议一备两公开）", procedureRef: major.reference,
                                     procedureHref: stationLinks ? "/majors/\(major.reference)" : nil, procedureState: major.stage,
                                     procedureLines: lines))
        }
        for id in topic.mediations {
            guard let mediation = try loop.mediation(id) else { continue }
            var lines = ["调解人：\(mediation.mediator ?? "")" + (mediation.participants.isEmpty ? "" : "；参与：\(mediation.participants.joined(separator: "、"))")]
            lines += mediation.sessions
            if mediation.isResolved, !mediation.agreement.isEmpty { lines.append("调解协议：\(mediation.agreement)") }
            if let to = mediation.transferredTo { lines.append("转交：\(to)") }
            rows.append(ProcedureRow(procedureKind: "调解", procedureRef: mediation.reference,
                                     procedureHref: stationLinks ? "/mediations/\(mediation.reference)" : nil,
                                     procedureState: mediation.stateText,
                                     procedureLines: lines))
        }
        return rows
    }

    /// 修改记录: every op on the topic and on its actions, escalations and evaluations,
    /// in the order they were made.
    public static func history(_ topic: Topic, _ loop: Deliberation, topicBase: String) throws -> Any {
        let records = [topic.id] + topic.actions + topic.escalations + topic.opinions + topic.assemblies + topic.mediations
            + (topic.major.map { [$0] } ?? []) + (try loop.evaluations(of: topic).map(\.id))
        let ops = try records.flatMap { try loop.replica.history(ofRecord: $0) }
            .sorted { ($0.lamport, $0.dot.replica, $0.dot.counter) < ($1.lamport, $1.dot.replica, $1.dot.counter) }
        let lines = ops.map { op in
            let type = Schema.type(ofRecord: op.record)
            let what = (op.record == topic.id ? "" : "\(type?.label ?? "") \(referenceOf(op.record)) ")
                + (type?.field(op.field)?.label ?? op.field)
            return HistoryView.Line(when: op.wallTime.beijingMinutes, station: op.dot.replica.rawValue, author: op.author,
                                    what: what, change: HistoryText.summary(op.change, record: op.record))
        }
        return HistoryView(reference: topic.reference, title: topic.title, lines: lines, topicBase: topicBase)
    }
}
