import YishiMerge
import YishiModel
import YishiStore

/// One topic's decision at a 两委联席会议.
public struct JointDecision: Sendable {
    public var topic: String
    public var confirm: Bool
    /// Why it is set aside (required then).
    public var reason: String?
    /// It touches government public services: the street's opinion comes first.
    public var publicService: Bool

    public init(topic: String, confirm: Bool, reason: String? = nil, publicService: Bool = false) {
        self.topic = topic
        self.confirm = confirm
        self.reason = reason
        self.publicService = publicService
    }
}

extension Deliberation {
    /// The statuses a joint meeting takes topics from: registered and sorted, or set aside
    /// by an earlier joint meeting.
    public static let awaitingConfirmationStatuses: Set<String> = ["raised", "classified", "set-aside"]

    /// Records a 两委联席会议 (001 art. 9 (3)): who met, and for each topic whether it is
    /// confirmed for deliberation or set aside, and why.
    public func holdJointMeeting(date: LocalDate, participants: [String], decisions: [JointDecision], by author: String) throws -> String {
        try Self.checkText(participants.map { ($0, Self.line("参加人员", "participants", 100)) }
            + decisions.map { ($0.reason, Self.text("暂不列入的原因", "reason", 500)) })
        guard date <= today else { throw RuleViolation("联席会议日期 \(date) 还没有到；请在会后记录。", field: "date") }
        let people = participants.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !people.isEmpty else {
            throw RuleViolation("请写上参加联席会议的人员（社区党组织和居委会成员）。", field: "participants")
        }
        guard !decisions.isEmpty else { throw RuleViolation("请至少就一个议题作出决定：确定，或暂不列入并写明原因。", field: "topics") }
        var topics: [(Topic, JointDecision)] = []
        for decision in decisions {
            let topic = try requireTopic(decision.topic)
            guard Self.awaitingConfirmationStatuses.contains(topic.status ?? "") else {
                throw RuleViolation("议题 \(topic.reference) 目前“\(Workflow.topic.label(of: topic.status ?? ""))”，不在待确定之列。", field: "topics")
            }
            if !decision.confirm, (decision.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw RuleViolation("议题 \(topic.reference) 暂不列入，请写明原因。", field: "reason")
            }
            guard !topics.contains(where: { $0.0.id == topic.id }) else {
                throw RuleViolation("议题 \(topic.reference) 写了两次，请只作一个决定。", field: "topics")
            }
            topics.append((topic, decision))
        }
        return try create(prefix("joint", "L"), digits: 3, by: author) { id in
            var edits: [LocalEdit] = [.write(id, "date", date.description)] + people.map { .add(id, "participants", $0) }
            for (topic, decision) in topics {
                let words = decision.confirm ? JointMeeting.confirmed : JointMeeting.setAside(decision.reason!.trimmingCharacters(in: .whitespacesAndNewlines))
                edits.append(LocalEdit(record: id, field: "decisions", change: .entry(key: topic.id, value: words)))
                edits.append(.write(topic.id, "jointMeeting", id))
                edits.append(LocalEdit(record: topic.id, field: "status", change: status(.topic, decision.confirm ? "confirmed" : "set-aside")))
                if decision.publicService { edits.append(.write(topic.id, "publicService", "是")) }
            }
            return edits
        }
    }

    /// Asks the street's opinion on a topic that touches government public services; the
    /// topic cannot be scheduled until the answer arrives (written at the central).
    public func askStreet(_ reference: String, question: String, by author: String) throws -> String {
        try Self.checkText([(question, Self.text("征询内容", "question", 2_000))])
        let topic = try requireTopic(reference)
        guard topic.isOpen else { throw RuleViolation("议题 \(topic.reference) 已经结束，无需征求意见。") }
        guard !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuleViolation("请写明向街道征询什么（涉及哪项公共服务、想请街道表态什么）。", field: "question")
        }
        return try create(prefix("opinion", "Q"), digits: 3, by: author) { id in
            [.write(id, "topic", topic.id), .write(id, "question", question), .write(id, "askedOn", today.description),
             .add(topic.id, "opinions", id), .write(topic.id, "publicService", "是")]
        }
    }

    /// The street's opinion, recorded by the office (under the community's origin at the
    /// central, so it reaches the community's stations) or at a station if it came on paper.
    public func answerStreetOpinion(_ reference: String, answeredOn: LocalDate, answer: String, by author: String) throws {
        try requireStreet("街道意见", at: "“征询”页")
        try Self.checkText([(answer, Self.text("街道意见", "answer", 2_000))])
        guard !answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuleViolation("请写明街道的意见。", field: "answer")
        }
        guard let opinion = try opinion(reference) else {
            throw RuleViolation("找不到街道意见征询“\(reference)”。")
        }
        if let asked = opinion.askedOn, answeredOn < asked {
            throw RuleViolation("答复日期 \(answeredOn) 早于征询日期 \(asked)，请检查。", field: "answeredOn")
        }
        guard answeredOn <= today else { throw RuleViolation("答复日期 \(answeredOn) 还没有到。", field: "answeredOn") }
        try edit([.write(opinion.id, "answeredOn", answeredOn.description), .write(opinion.id, "answer", answer)], by: author)
    }

    /// Why `topic` cannot go to a meeting yet (see MeetingReadiness), or nil.
    func meetingReadinessProblem(_ topic: Topic) throws -> RuleViolation? {
        let opinions = try topic.opinions.compactMap { try opinion($0) }.sorted { ($0.askedOn?.description ?? "") < ($1.askedOn?.description ?? "") }
        return MeetingReadiness(confirmBeforeMeeting: rules.confirmBeforeMeeting).problem(topic, opinions: opinions)
    }
}
