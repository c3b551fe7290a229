import Foundation
import YishiDeliberation
import YishiDesk
import YishiModel

/// 网络征集平台: a matter raised from a phone. The form asks what the matter is, where, and
/// (optionally) a name and phone for a call back; it becomes a topic through the same
/// `Deliberation.raise` as every other channel, with the channel 网络平台 and the author
/// 居民（网上）. The resident gets a receipt number to look it up.
struct BoardIntake {
    /// What the form holds, as typed.
    struct Typed: Sendable {
        var matter = ""
        var place = ""
        var name = ""
        var phone = ""

        init() {}

        init(_ fields: FormFields) {
            matter = fields.raw("matter") ?? ""
            place = fields.raw("place") ?? ""
            name = fields.raw("name") ?? ""
            phone = fields.raw("phone") ?? ""
        }
    }

    // The limits of the desk's own fields (TextInput), so that nothing the board takes is
    // refused later at the station.
    static let matterInput = TextInput("反映的事项", field: "matter", limit: 1_000, .text)
    static let placeInput = TextInput("地点", field: "place", limit: 100)
    static let nameInput = TextInput("称呼", field: "name", limit: 50)
    static let phoneInput = TextInput("电话", field: "phone", limit: 30)

    /// The topic the form describes, or the message beside the field that is wrong.
    static func draft(_ typed: Typed, receipt: Receipt, today: LocalDate) throws -> TopicDraft {
        try matterInput.check(typed.matter)
        try placeInput.check(typed.place)
        try nameInput.check(typed.name)
        try phoneInput.check(typed.phone)
        let matter = typed.matter.trimmingCharacters(in: .whitespacesAndNewlines)
        guard matter.count >= 5 else {
            throw RuleViolation(matter.isEmpty ? "请写上您要反映的事情。" : "请多写几个字，说清楚是什么事情。", field: "matter")
        }
        let phone = typed.phone.trimmingCharacters(in: .whitespaces)
        if !phone.isEmpty, !Redaction.isPhoneNumber(phone) {
            throw RuleViolation("电话号码“\(phone)”格式不对：手机号 11 位，座机如 0451-86123456。不需要回电可以不填。", field: "phone")
        }
        let place = typed.place.trimmingCharacters(in: .whitespaces)
        let name = typed.name.trimmingCharacters(in: .whitespaces)
        return TopicDraft(
            title: title(matter, place: place), description: matter + (place.isEmpty ? "" : "\n地点：\(place)"),
            channel: Vocabulary.onlineChannel,
            proposer: Proposer(name: name.isEmpty ? nil : name, phone: phone.isEmpty ? nil : phone),
            raisedOn: today, receipt: receipt.digest)
    }

    /// A title staff can scan: the place and the first sentence, shortened.
    static func title(_ matter: String, place: String) -> String {
        let first = matter.split(whereSeparator: { "。！？\n".contains($0) }).first.map(String.init) ?? matter
        let short = first.count > 30 ? String(first.prefix(30)) + "…" : first
        return place.isEmpty ? short : "\(place.count > 20 ? String(place.prefix(20)) : place)：\(short)"
    }

    // MARK: The receipt's view of a topic

    struct Step: Sendable {
        var stepLabel: String
        var stepText: String
        var stepHref: String?
    }

    /// Where a matter stands, as much as the board shows and no more.
    static func progress(_ topic: Topic, pages: BoardPages) throws -> [Step] {
        let loop = pages.loop, redact = pages.redact
        let base = "/public/\(pages.community)"
        var steps = [Step(stepLabel: "已受理", stepText: "\(topic.raisedOn?.chinese ?? "")收到，已登记为 \(topic.reference)。")]
        if topic.isInvalid {
            steps.append(Step(stepLabel: "未列入", stepText: "经核实不属于社区议事事项：\(redact(topic.invalidReason))。"))
            return steps
        }
        if let handling = topic.handling {
            steps.append(Step(stepLabel: "已分类", stepText: "\(handling)件" + (topic.category.map { "，\($0)" } ?? "") + "。"))
        } else {
            steps.append(Step(stepLabel: "待分类", stepText: "社区工作人员会尽快分类，需要时回电了解情况。"))
        }
        if let id = topic.jointMeeting, let joint = try loop.jointMeeting(id), let decision = joint.decisions[topic.id] {
            steps.append(Step(stepLabel: "两委联席会议", stepText: "\(joint.date?.chinese ?? "")：\(redact(decision))。"))
        }
        for id in topic.meetings {
            guard let meeting = try loop.meeting(id) else { continue }
            steps.append(Step(stepLabel: "协商会议", stepText: "第 \(meeting.round(for: topic.id)) 轮 \(meeting.form ?? "") \(meeting.time?.chinese ?? "")"
                                + (meeting.outcome(for: topic.id).map { "：\(redact($0))" } ?? "（公示中，可报名列席）"),
                              stepHref: "\(base)/meetings/\(meeting.reference)"))
        }
        for id in topic.assemblies {
            guard let assembly = try loop.assembly(id) else { continue }
            steps.append(Step(stepLabel: "居民会议", stepText: "\(assembly.date?.chinese ?? "")：\(assembly.vote?.outcome.rawValue ?? "")。"))
        }
        let actions = try topic.actions.compactMap { try loop.action($0) }
        if !actions.isEmpty {
            steps.append(Step(stepLabel: "落实", stepText: "落实事项 \(actions.count) 项，已完成 \(actions.filter(\.isDone).count) 项。"))
        }
        for id in topic.escalations {
            guard let escalation = try loop.escalation(id) else { continue }
            steps.append(Step(stepLabel: "上报", stepText: "已上报\(escalation.addressee)，" + (escalation.isAnswered ? "部门已答复。" : "等待部门答复。")))
        }
        for evaluation in try loop.evaluations(of: topic) {
            let assessment = SatisfactionAssessment(ratings: Array(evaluation.ratings.values), percent: evaluation.judgedPercent ?? loop.rules.satisfactionPercent)
            steps.append(Step(stepLabel: "居民评议", stepText: "第 \(evaluation.round) 轮满意率 \(assessment.rateText)"
                                + (evaluation.result == nil ? "（评议中）。" : assessment.passed ? "，通过验收。" : "，进入整改。")))
        }
        let state = topic.statusText
        steps.append(Step(stepLabel: "目前", stepText: state + (topic.closedOn.map { "（\($0.chinese)）" } ?? "") + "。",
                          stepHref: BoardPages.isPublic(topic) ? "\(base)/topics/\(topic.reference)" : nil))
        return steps
    }
}
