import YishiMerge
import YishiModel
import YishiStore

/// A meeting as it is planned and put on the notice board.
public struct MeetingDraft: Sendable {
    public var form: String
    public var time: LocalDateTime
    public var place: String
    public var host: String
    public var recorder: String?
    public var content: String?
    public var topics: [String]
    /// `角色：姓名`, the 6+N: party secretary, 两委, 业委会, 物业, resident reps, units + stakeholders.
    public var participants: [String]
    public var urgentReason: String?

    public init(form: String, time: LocalDateTime, place: String, host: String, recorder: String? = nil,
                content: String? = nil, topics: [String], participants: [String], urgentReason: String? = nil) {
        self.form = form
        self.time = time
        self.place = place
        self.host = host
        self.recorder = recorder
        self.content = content
        self.topics = topics
        self.participants = participants
        self.urgentReason = urgentReason
    }
}

/// How a round ended for one topic.
public enum RoundOutcome: Sendable, Equatable {
    case consensus(ConsensusTally)
    /// Not agreed: the topic goes to another round.
    case anotherRound(ConsensusTally)
    case shelved(ConsensusTally)
    case toAssembly(ConsensusTally)
}

extension Deliberation {
    /// Schedules a meeting and posts its notice now. The notice must go up at least the
    /// community's notice period before the meeting, unless it is urgent and says why.
    public func schedule(_ draft: MeetingDraft, by author: String) throws -> String {
        try Self.checkText([
            (draft.place, Self.line("会议地点", "place", 100)), (draft.host, Self.line("主持人", "host")),
            (draft.recorder, Self.line("记录人", "recorder")), (draft.content, Self.line("主要内容", "content", 500)),
            (draft.urgentReason, Self.text("紧急原因", "urgent", 500)),
        ] + draft.participants.map { ($0, Self.line("参加人员", "participants", 100)) })
        try Self.check(draft.form, in: Vocabulary.meetingForms, what: "会议形式", field: "form")
        guard !draft.topics.isEmpty else { throw RuleViolation("请指明这次会议协商哪个议题。", field: "topics") }
        let topics = try draft.topics.map { try requireTopic($0) }
        for topic in topics where !topic.isOpen || topic.status == "shelved" {
            let label = Workflow.topic.label(of: topic.status!)
            throw RuleViolation("议题 \(topic.reference) 目前“\(label)”，不能安排协商。", field: "topics",
                remedy: topic.status != "shelved" ? nil : Remedy(
                    commandLine: "时机成熟需要再议的，请先运行 yishi topic reopen \(topic.reference) --reason \"原因\" 重新启动协商。",
                    desk: "时机成熟需要再议的，请先在议题页面点“重新协商”并写明原因。"))
        }
        for topic in topics {
            if let problem = try meetingReadinessProblem(topic) { throw problem }
        }
        let posted = now()
        try NoticePolicy(noticeDays: rules.noticeDays).check(posted: posted, meeting: draft.time, urgentReason: draft.urgentReason)
        let round = (topics.map(\.round).max() ?? 0) + 1
        return try create(prefix("meeting", "H"), digits: 3, by: author) { id in
            var edits: [LocalEdit] = [
                .write(id, "form", draft.form), .write(id, "time", draft.time.description),
                .write(id, "place", draft.place), .write(id, "host", draft.host),
                .write(id, "noticePostedAt", posted.description), .write(id, "round", String(round)),
            ]
            if let recorder = draft.recorder { edits.append(.write(id, "recorder", recorder)) }
            if let content = draft.content { edits.append(.write(id, "content", content)) }
            if let reason = draft.urgentReason, !reason.isEmpty { edits.append(.write(id, "urgentReason", reason)) }
            edits += draft.participants.map { .add(id, "participants", $0) }
            for topic in topics {
                edits.append(.add(id, "topics", topic.id))
                edits.append(.add(topic.id, "meetings", id))
                edits.append(.write(topic.id, "round", String(topic.round + 1)))
                edits.append(LocalEdit(record: id, field: "rounds", change: .entry(key: topic.id, value: String(topic.round + 1))))
                if (Workflow.topic.status(topic.status ?? "")?.rank ?? 0) < 40 {
                    edits.append(LocalEdit(record: topic.id, field: "status", change: status(.topic, "deliberating")))
                }
            }
            return edits
        }
    }

    /// A stakeholder asks to attend, while the notice is up (001 art. 10).
    public func register(_ reference: String, name: String, by author: String) throws {
        try Self.checkText([(name, Self.line("报名人", "name", 100))])
        let meeting = try requireMeeting(reference)
        guard let posted = meeting.noticePostedAt, let time = meeting.time else {
            throw RuleViolation("会议 \(meeting.reference) 还没有公示，不能报名。")
        }
        try NoticePolicy(noticeDays: rules.noticeDays).checkRegistration(at: now(), posted: posted, meeting: time)
        try edit([.add(meeting.id, "registrations", name)], by: author)
    }

    /// Who actually came.
    public func recordAttendance(_ reference: String, names: [String], by author: String) throws {
        try Self.checkText(names.map { ($0, Self.line("到会人员", "names", 100)) })
        let meeting = try requireMeeting(reference)
        try edit(names.map { .add(meeting.id, "attendance", $0) }, by: author)
    }

    /// Writes the minutes (会议纪要); refused once they are final. With `base`, the text is
    /// diffed against the minutes as the writer loaded them (a desk's form), so a sentence
    /// another station changed meanwhile is kept, or shown as a conflict, never overwritten.
    public func writeMinutes(_ reference: String, text: String, base: TextBase? = nil, by author: String) throws {
        try Self.checkText([(text, .minutes)])
        let meeting = try requireMeeting(reference)
        guard !meeting.minutesFinal else { throw RuleViolation("会议 \(meeting.reference) 的纪要已定稿，不能再改。", field: "minutes") }
        try edit([LocalEdit(record: meeting.id, field: "minutes", change: base.map { .textSince($0, text) } ?? .text(text))], by: author)
    }

    /// Finalises the minutes, only when every action agreed for the meeting's topics says
    /// who, to what standard, by when and under whose supervision.
    public func finaliseMinutes(_ reference: String, by author: String) throws {
        let meeting = try requireMeeting(reference)
        guard !meeting.minutes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuleViolation("会议 \(meeting.reference) 还没有纪要。", remedy: Remedy(
                commandLine: "请先用 yishi meeting minutes \(meeting.reference) --file 纪要.txt 写入。", desk: "请先在本页的“会议纪要”里写入并保存。"))
        }
        let actions = try self.actions().filter { $0.meeting == meeting.id || ($0.meeting == nil && meeting.topics.contains($0.topic ?? "")) }
        try ActionElements.checkMinutes(actions.map { (id: $0.reference, elements: $0.elements) })
        try edit([.write(meeting.id, "minutesFinal", "是")], by: author)
    }

    /// Records a household consultation held for the meeting (入户征求意见).
    public func recordConsultation(_ reference: String, consulted: Int, agreed: Int, by author: String) throws {
        let meeting = try requireMeeting(reference)
        guard consulted > 0, (0...consulted).contains(agreed) else {
            throw RuleViolation("征求意见户数应大于 0，同意户数应在 0 到 \(consulted) 之间（现在是 \(consulted) 户、同意 \(agreed) 户）。", field: consulted > 0 ? "agree" : "households")
        }
        try edit([.write(meeting.id, "consultedHouseholds", String(consulted)),
                  .write(meeting.id, "agreedHouseholds", String(agreed))], by: author)
    }

    /// Records a committee member's ballot on one of the meeting's topics.
    public func vote(_ reference: String, topic topicReference: String, member who: String, choice: String, by author: String) throws {
        try vote(reference, topic: topicReference, ballots: [(member: who, choice: choice)], by: author)
    }

    /// Records several members' ballots at once (a desk's vote sheet): every ballot is
    /// checked first, then all are written in one transaction, or none.
    public func vote(_ reference: String, topic topicReference: String, ballots: [(member: String, choice: String)],
                     by author: String) throws {
        let meeting = try requireMeeting(reference)
        let topic = try requireTopic(topicReference)
        guard meeting.topics.contains(topic.id) else {
            throw RuleViolation("会议 \(meeting.reference) 没有议题 \(topic.reference)，不能就它表决。")
        }
        guard !ballots.isEmpty else { throw RuleViolation("请至少记录一位委员的表决意见。", field: "choice") }
        var edits: [LocalEdit] = []
        for (who, choice) in ballots {
            try Self.check(choice, in: Vocabulary.ballotChoices, what: "表决意见", field: "choice")
            let member = try member(who, on: (meeting.time ?? now()).date)
            edits.append(LocalEdit(record: meeting.id, field: "ballots",
                                   change: .entry(key: Meeting.ballotKey(topic: topic.id, member: member.id), value: choice)))
        }
        try edit(edits, by: author)
    }

    /// Closes a round for one topic: with at least the consensus share of all members in
    /// office agreeing, the topic has consensus; otherwise it goes to another round, or —
    /// if asked and allowed — is shelved or sent to the residents' assembly.
    public func closeRound(_ reference: String, topic topicReference: String, shelve: Bool = false,
                           toAssembly: Bool = false, by author: String) throws -> RoundOutcome {
        let meeting = try requireMeeting(reference)
        let topic = try requireTopic(topicReference)
        guard meeting.topics.contains(topic.id) else {
            throw RuleViolation("会议 \(meeting.reference) 没有议题 \(topic.reference)。")
        }
        let date = (meeting.time ?? now()).date
        let members = Set(try committee(on: date).map(\.id))
        guard !members.isEmpty else {
            throw RuleViolation("\(date) 没有在任的协商委员。", remedy: Remedy(
                commandLine: "请先用 yishi committee add 登记委员。", desk: "请先在“委员会”页登记委员。"))
        }
        let tally = ConsensusTally(ballots: meeting.ballots(onTopic: topic.id), members: members, percent: rules.consensusPercent)
        let outcome: RoundOutcome
        let statusName: String?
        if toAssembly {
            outcome = .toAssembly(tally)
            statusName = "assembly"
        } else if tally.passed {
            guard !shelve else { throw RuleViolation("本轮已达成共识（\(tally.summary)），不能搁置。") }
            outcome = .consensus(tally)
            statusName = "consensus"
        } else if shelve {
            outcome = .shelved(tally)
            statusName = "shelved"
        } else {
            outcome = .anotherRound(tally)
            statusName = nil
        }
        let words: String
        switch outcome {
        case .consensus: words = "达成共识"
        case .anotherRound: words = "未达成共识，转入下一轮协商"
        case .shelved: words = "未达成共识，暂时搁置"
        case .toAssembly: words = "提交居民会议决定"
        }
        // A referral is not a failed vote: the ballots, if any, are told without a verdict.
        let judged = if case .toAssembly = outcome { tally.count } else { tally.summary }
        let consulted = meeting.consultation.map { "；\($0.summary)" } ?? ""
        // Each topic's outcome is its own entry: two topics at one meeting never overwrite
        // each other's result.
        var edits: [LocalEdit] = [
            LocalEdit(record: meeting.id, field: "outcomes", change: .entry(key: topic.id, value: "\(topic.reference)：\(words)（\(judged)\(consulted)）")),
            LocalEdit(record: meeting.id, field: "consensusPercents", change: .entry(key: topic.id, value: String(tally.percent))),
        ]
        if let statusName { edits.append(LocalEdit(record: topic.id, field: "status", change: status(.topic, statusName))) }
        try edit(edits, by: author)
        return outcome
    }
}
