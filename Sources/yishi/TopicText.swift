import YishiDeliberation
import YishiMerge
import YishiModel

/// Topics as people read them on the terminal.
enum TopicText {
    static func printList(_ topics: [Topic], _ output: OutputOptions) {
        if output.json {
            Output.printJSON(topics.map(TopicJSON.init))
            return
        }
        if topics.isEmpty { print("还没有议题。") }
        for topic in topics {
            let status = topic.statusText
            let warning = topic.conflicts > 0 ? "  ⚠ \(topic.conflicts) 处冲突" : ""
            print("\(topic.reference)  [\(status)]  \(topic.title)\(warning)")
        }
    }

    static func describe(_ topic: Topic, _ loop: Deliberation) throws -> String {
        var lines = ["议题 \(topic.reference)：\(topic.title)"]
        func row(_ label: String, _ value: String?) { if let value, !value.isEmpty { lines.append("  \(label)：\(value)") } }
        row("状态", topic.statusText)
        row("渠道", topic.channel)
        let proposer = topic.proposer
        row("提议人", proposer.anonymous ? "匿名（\(proposer.name ?? "未留姓名")）" : proposer.name)
        row("住址", proposer.address)
        row("电话", proposer.phone)
        row("类别", topic.category)
        row("办理类别", topic.handling)
        row("登记日期", topic.raisedOn?.description)
        row("办结日期", topic.closedOn?.description)
        row("协商轮次", topic.round > 0 ? "第 \(topic.round) 轮" : nil)
        row("建议评定", topic.idea)
        row("标签", topic.tags.joined(separator: "、"))
        row("涉及政府公共服务", topic.publicService ? "是（安排会议前须征求街道意见）" : nil)
        row("纠纷", topic.isDispute ? "是" : nil)
        if let id = topic.jointMeeting, let joint = try loop.jointMeeting(id) {
            row("两委联席会议", "\(joint.reference)（\(joint.date?.description ?? "")）：\(joint.decisions[topic.id] ?? "")")
        }
        if !topic.description.isEmpty {
            lines.append("  内容：")
            lines += topic.description.split(separator: "\n").map { "    " + $0 }
        }
        for id in topic.meetings {
            guard let meeting = try loop.meeting(id) else { continue }
            lines.append("  会议 \(meeting.reference)（第 \(meeting.round(for: topic.id)) 轮）：\(meeting.form ?? "") \(meeting.time?.description ?? "")"
                + (meeting.outcome(for: topic.id).map { "，\($0)" } ?? ""))
        }
        for id in topic.actions {
            guard let action = try loop.action(id) else { continue }
            let overdue = Deadline.isOverdue(action.deadline, done: action.isDone, today: loop.today) ? "（已超期）" : ""
            lines.append("  落实 \(action.reference)：\(action.elements.owner ?? "？")负责，\(action.elements.standard ?? "？")，"
                + "\(action.elements.deadline ?? "？")前完成，\(action.elements.supervisor ?? "？")监督；"
                + Workflow.action.label(of: action.status ?? "") + overdue)
        }
        for id in topic.escalations {
            guard let escalation = try loop.escalation(id) else { continue }
            lines.append("  上报 \(escalation.reference)：\(escalation.addressee)，"
                + (escalation.response.map { "已报到：\($0)" } ?? "待报到"))
        }
        for id in topic.opinions {
            guard let opinion = try loop.opinion(id) else { continue }
            lines.append("  街道意见征询 \(opinion.reference)（\(opinion.askedOn?.description ?? "")）：\(opinion.question ?? "")；"
                + (opinion.answer.map { "\(opinion.answeredOn?.description ?? "") 答复：\($0)" } ?? "待街道答复"))
        }
        for id in topic.assemblies {
            guard let assembly = try loop.assembly(id) else { continue }
            lines.append("  居民会议 \(assembly.reference)（\(assembly.date?.description ?? "")，\(assembly.convenedAs ?? "")）：\(assembly.result ?? "")")
        }
        if let id = topic.major, let major = try loop.majorMatter(id) {
            lines.append("  重大事项 \(major.reference)：\(major.stage)")
            for step in MajorMatter.steps {
                if let date = major.stepDates[step] { lines.append("    \(step) \(date)：\(major.stepPeople[step] ?? "")") }
            }
        }
        for id in topic.mediations {
            guard let mediation = try loop.mediation(id) else { continue }
            lines.append("  调解 \(mediation.reference)：调解人 \(mediation.mediator ?? "")" + (mediation.participants.isEmpty ? "" : "，参与：\(mediation.participants.joined(separator: "、"))")
                + "；" + mediation.stateText)
            lines += mediation.sessions.map { "    \($0)" }
        }
        if topic.conflicts > 0 { lines.append("  ⚠ 有 \(topic.conflicts) 处冲突待确认（yishi conflicts）") }
        let newer = try loop.newerContent(around: topic)
        if !newer.isEmpty { lines.append("  有新版本的内容，请升级后查看：\(newer.joined(separator: "、"))") }
        return lines.joined(separator: "\n")
    }
}

struct TopicJSON: Encodable {
    var reference: String
    var title: String
    var status: String?
    var channel: String?
    var category: String?
    var handling: String?
    var raisedOn: String?
    var closedOn: String?
    var round: Int
    var meetings: [String]
    var actions: [String]
    var conflicts: Int
    /// What a newer build wrote on the topic itself (`yishi topic show` names its loop's too).
    var newerContent: [String]

    init(_ topic: Topic) {
        reference = topic.reference
        title = topic.title
        status = topic.status
        channel = topic.channel
        category = topic.category
        handling = topic.handling
        raisedOn = topic.raisedOn?.description
        closedOn = topic.closedOn?.description
        round = topic.round
        meetings = topic.meetings
        actions = topic.actions
        conflicts = topic.conflicts
        newerContent = topic.newerContent
    }
}

struct HistoryJSON: Encodable {
    var dot: String
    var station: String
    var author: String
    var wallTime: String
    var field: String
    var change: String

    init(op: Op) {
        dot = op.dot.description
        station = op.dot.replica.rawValue
        author = op.author
        wallTime = op.wallTime.description
        field = op.field
        change = HistoryText.summary(op.change, record: op.record)
    }
}
