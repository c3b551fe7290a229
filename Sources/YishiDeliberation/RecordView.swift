import YishiMerge
import YishiModel
import YishiStore

/// One record's merged fields, read the way people see them (the shown value of each).
struct RecordView {
    let fields: [String: FieldState]
    /// Instead of `fields`, only the shown values of some one-value fields (see
    /// `shownViews`): all that figures over thousands of records need.
    let shown: [String: String]

    init(_ replica: Replica, _ id: String) throws {
        self.init(fields: try replica.fields(ofRecord: id))
    }

    init(fields: [String: FieldState]) {
        self.fields = fields
        shown = [:]
    }

    init(shown: [String: String]) {
        fields = [:]
        self.shown = shown
    }

    var exists: Bool { !fields.isEmpty || !shown.isEmpty }

    func string(_ name: String) -> String? {
        if let value = shown[name] { return value }
        guard let state = fields[name] else { return nil }
        if state.kind == .text { return state.document.text }
        return state.resolution(at: "").shown?.content
    }

    func number(_ name: String) -> Int? { string(name).flatMap { Int($0) } }
    func date(_ name: String) -> LocalDate? { string(name).flatMap(LocalDate.init) }
    func dateTime(_ name: String) -> LocalDateTime? { string(name).flatMap(LocalDateTime.init) }
    func elements(_ name: String) -> [String] { fields[name]?.elements ?? [] }

    static func entries(_ view: RecordView, _ name: String) -> [String: String] { view.entries(name) }

    func entries(_ name: String) -> [String: String] {
        guard let state = fields[name] else { return [:] }
        var result: [String: String] = [:]
        for key in state.values.keys {
            if let value = state.resolution(at: key).shown?.content { result[key] = value }
        }
        return result
    }

    /// What in record `id` a newer build wrote (`Schema.newerContent`), among every value
    /// still standing (a new choice in a conflict counts too). A view of shown values only
    /// (`shown`) holds no field it was not asked for, so it has none.
    func newerContent(_ id: String) -> [String] {
        Schema.newerContent(ofRecord: id, fields: fields.keys) { name in
            fields[name]?.values.values.flatMap { $0.compactMap(\.content) } ?? []
        }
    }

    /// The values of a one-value field when concurrent edits disagree, in display order;
    /// empty when they agree (or the view holds shown values only).
    func sides(_ name: String) -> [String] {
        guard let state = fields[name], state.kind != .text else { return [] }
        let resolution = state.resolution(at: "")
        guard resolution.isConflict else { return [] }
        var seen: Set<String> = []
        return resolution.sides.compactMap(\.content).filter { seen.insert($0).inserted }
    }

    var conflictCount: Int {
        fields.reduce(0) { $0 + $1.value.conflicts(record: "", field: $1.key).count }
    }
}

extension Deliberation {
    public func topic(_ reference: String) throws -> Topic? {
        let id = recordID("topic", reference)
        return Self.topic(id, try RecordView(replica, id))
    }

    static func topic(_ id: String, _ view: RecordView) -> Topic? {
        guard view.exists else { return nil }
        var topic = Topic(id: id)
        topic.title = view.string("title") ?? ""
        topic.description = view.string("description") ?? ""
        topic.channel = view.string("channel")
        topic.proposer = Proposer(
            name: view.string("proposerName"), address: view.string("proposerAddress"),
            phone: view.string("proposerPhone"), anonymous: view.string("anonymous") == "是")
        topic.category = view.string("category")
        topic.handling = view.string("handling")
        topic.status = view.string("status")
        topic.statusSides = view.sides("status")
        topic.raisedOn = view.date("raisedOn")
        // A date of 办结 belongs to a topic whose loop has ended: one a conflict left standing
        // beside a status that goes on (居民会议通过 against 居民会议否决) is not shown as one.
        topic.closedOn = Topic.isOpen(status: topic.status) || topic.statusSides.count > 1 ? nil : view.date("closedOn")
        topic.round = view.number("round") ?? 0
        topic.evaluationRound = view.number("evaluationRound") ?? 0
        topic.idea = view.string("idea")
        topic.tags = view.elements("tags")
        topic.meetings = view.elements("meetings")
        topic.actions = view.elements("actions")
        topic.escalations = view.elements("escalations")
        topic.publicService = view.string("publicService") == "是"
        topic.dispute = view.string("dispute") == "是"
        topic.jointMeeting = view.string("jointMeeting")
        topic.opinions = view.elements("opinions")
        topic.assemblies = view.elements("assemblies")
        topic.major = view.string("major")
        topic.mediations = view.elements("mediations")
        topic.receipt = view.string("receipt")
        topic.invalidReason = view.string("invalidReason")
        topic.conflicts = view.conflictCount
        topic.newerContent = view.newerContent(id)
        return topic
    }

    public func meeting(_ reference: String) throws -> Meeting? {
        let id = recordID("meeting", reference)
        return Self.meeting(id, try RecordView(replica, id))
    }

    static func meeting(_ id: String, _ view: RecordView) -> Meeting? {
        guard view.exists else { return nil }
        var meeting = Meeting(id: id)
        meeting.form = view.string("form")
        meeting.time = view.dateTime("time")
        meeting.place = view.string("place")
        meeting.host = view.string("host")
        meeting.recorder = view.string("recorder")
        meeting.content = view.string("content")
        meeting.participants = view.elements("participants")
        meeting.noticePostedAt = view.dateTime("noticePostedAt")
        meeting.urgentReason = view.string("urgentReason")
        meeting.registrations = view.elements("registrations")
        meeting.attendance = view.elements("attendance")
        meeting.topics = view.elements("topics")
        meeting.round = view.number("round") ?? 1
        meeting.minutes = view.string("minutes") ?? ""
        meeting.minutesFinal = view.string("minutesFinal") == "是"
        meeting.ballots = view.entries("ballots")
        if let consulted = view.number("consultedHouseholds"), let agreed = view.number("agreedHouseholds") {
            meeting.consultation = HouseholdConsultation(consulted: consulted, agreed: agreed)
        }
        meeting.outcome = view.string("outcome")
        meeting.outcomes = view.entries("outcomes")
        meeting.rounds = view.entries("rounds").compactMapValues { Int($0) }
        meeting.judgedPercents = view.entries("consensusPercents").compactMapValues(JudgedShare.stored)
        meeting.newerContent = view.newerContent(id)
        return meeting
    }

    public func action(_ reference: String) throws -> ActionItem? {
        let id = recordID("action", reference)
        return Self.action(id, try RecordView(replica, id))
    }

    static func action(_ id: String, _ view: RecordView) -> ActionItem? {
        guard view.exists else { return nil }
        var action = ActionItem(
            id: id, topic: view.string("topic"), meeting: view.string("meeting"),
            elements: ActionElements(
                owner: view.string("owner"), standard: view.string("standard"),
                deadline: view.string("deadline"), supervisor: view.string("supervisor")),
            status: view.string("status"), notes: view.elements("notes"))
        action.purpose = view.string("purpose")
        action.round = view.number("round")
        action.newerContent = view.newerContent(id)
        return action
    }

    public func escalation(_ reference: String) throws -> Escalation? {
        let id = recordID("escalation", reference)
        return Self.escalation(id, try RecordView(replica, id))
    }

    static func escalation(_ id: String, _ view: RecordView) -> Escalation? {
        guard view.exists else { return nil }
        var escalation = Escalation(id: id)
        escalation.topic = view.string("topic")
        escalation.level = view.string("level")
        escalation.department = view.string("department")
        escalation.reason = view.string("reason")
        escalation.escalatedOn = view.date("escalatedOn")
        escalation.deadline = view.date("deadline")
        escalation.reportedOn = view.date("reportedOn")
        escalation.response = view.string("response")
        escalation.newerContent = view.newerContent(id)
        return escalation
    }

    public func evaluation(_ id: String) throws -> Evaluation? {
        Self.evaluation(id, try RecordView(replica, id))
    }

    static func evaluation(_ id: String, _ view: RecordView) -> Evaluation? {
        guard view.exists else { return nil }
        var evaluation = Evaluation(
            id: id, topic: view.string("topic"), round: view.number("round") ?? 1,
            ratings: view.entries("ratings"), comments: view.entries("comments"), result: view.string("result"))
        evaluation.percent = JudgedShare.stored(view.string("percent"))
        evaluation.newerContent = view.newerContent(id)
        return evaluation
    }

    public func jointMeeting(_ reference: String) throws -> JointMeeting? {
        let id = recordID("joint", reference)
        return Self.jointMeeting(id, try RecordView(replica, id))
    }

    static func jointMeeting(_ id: String, _ view: RecordView) -> JointMeeting? {
        guard view.exists else { return nil }
        var meeting = JointMeeting(id: id, date: view.date("date"), participants: view.elements("participants"),
                                   decisions: view.entries("decisions"))
        meeting.newerContent = view.newerContent(id)
        return meeting
    }

    public func opinion(_ reference: String) throws -> StreetOpinion? {
        let id = recordID("opinion", reference)
        return Self.opinion(id, try RecordView(replica, id))
    }

    static func opinion(_ id: String, _ view: RecordView) -> StreetOpinion? {
        guard view.exists else { return nil }
        var opinion = StreetOpinion(id: id)
        opinion.topic = view.string("topic")
        opinion.question = view.string("question")
        opinion.askedOn = view.date("askedOn")
        opinion.answeredOn = view.date("answeredOn")
        opinion.answer = view.string("answer")
        opinion.newerContent = view.newerContent(id)
        return opinion
    }

    public func assembly(_ reference: String) throws -> Assembly? {
        let id = recordID("assembly", reference)
        return Self.assembly(id, try RecordView(replica, id), rules: rules)
    }

    static func assembly(_ id: String, _ view: RecordView, rules: CommunityRules) -> Assembly? {
        guard view.exists else { return nil }
        var assembly = Assembly(id: id)
        assembly.topic = view.string("topic")
        assembly.date = view.date("date")
        assembly.convenedAs = view.string("convenedAs")
        assembly.result = view.string("result")
        if let entitled = view.number("entitled"), let attended = view.number("attended") {
            // Judged by the shares of its day (`JudgedShare`): kept with it, or named in an
            // older record's result, whose majority is named only once the quorum was met.
            let quorum = JudgedShare.stored(view.string("quorumPercent")) ?? JudgedShare.read(assembly.result, after: "须超过 ")
            let majority = JudgedShare.stored(view.string("majorityPercent"))
                ?? JudgedShare.read(assembly.result, after: "须超过 ", occurrence: 1)
            assembly.vote = AssemblyVote(entitled: entitled, attended: attended, inFavour: view.number("inFavour") ?? 0,
                                         against: view.number("against") ?? 0, abstained: view.number("abstained") ?? 0,
                                         quorumPercent: quorum ?? rules.assemblyQuorumPercent,
                                         majorityPercent: majority ?? rules.assemblyMajorityPercent)
        }
        assembly.newerContent = view.newerContent(id)
        return assembly
    }

    public func majorMatter(_ reference: String) throws -> MajorMatter? {
        let id = recordID("major", reference)
        return Self.majorMatter(id, try RecordView(replica, id))
    }

    static func majorMatter(_ id: String, _ view: RecordView) -> MajorMatter? {
        guard view.exists else { return nil }
        var major = MajorMatter(id: id)
        major.topic = view.string("topic")
        major.stepDates = view.entries("stepDates").compactMapValues(LocalDate.init)
        major.stepPeople = view.entries("stepPeople")
        major.stepNotes = view.entries("stepNotes")
        major.resolution = view.string("resolution") ?? ""
        major.filedOn = view.date("filedOn")
        major.acknowledgedOn = view.date("acknowledgedOn")
        major.acknowledgedBy = view.string("acknowledgedBy")
        major.resolutionPublishedOn = view.date("resolutionPublishedOn")
        major.outcome = view.string("outcome") ?? ""
        major.outcomePublishedOn = view.date("outcomePublishedOn")
        major.newerContent = view.newerContent(id)
        return major
    }

    public func mediation(_ reference: String) throws -> Mediation? {
        let id = recordID("mediation", reference)
        return Self.mediation(id, try RecordView(replica, id))
    }

    static func mediation(_ id: String, _ view: RecordView) -> Mediation? {
        guard view.exists else { return nil }
        var mediation = Mediation(id: id)
        mediation.topic = view.string("topic")
        mediation.mediator = view.string("mediator")
        mediation.participants = view.elements("participants")
        mediation.sessions = view.elements("sessions").sorted()
        mediation.outcome = view.string("outcome")
        mediation.outcomeSides = view.sides("outcome")
        mediation.outcomeOn = view.date("outcomeOn")
        mediation.agreement = view.string("agreement") ?? ""
        mediation.transferredTo = view.string("transferredTo")
        mediation.newerContent = view.newerContent(id)
        return mediation
    }

    public func members() throws -> [Member] {
        try replica.records(ofType: "member", scope: scope).compactMap { id in
            let view = try RecordView(replica, id)
            guard let name = view.string("name") else { return nil }
            return Member(id: id, name: name, category: view.string("category"),
                          termStart: view.date("termStart"), termEnd: view.date("termEnd"))
        }
    }

    // Every record of a kind, read in bulk (a few queries for all of them, not a few per
    // record): the central reads a whole community's for its figures.
    public func topics() throws -> [Topic] { try views("topic").compactMap(Self.topic) }
    public func meetings() throws -> [Meeting] { try views("meeting").compactMap(Self.meeting) }
    public func actions() throws -> [ActionItem] { try views("action").compactMap(Self.action) }
    /// Escalations hold only one-value fields: read as shown (the street reads a district's).
    public func escalations() throws -> [Escalation] {
        try shownViews("escalation", fields: ["topic", "level", "department", "reason", "escalatedOn", "deadline", "reportedOn", "response"])
            .compactMap(Self.escalation)
    }

    /// One topic's evaluations, first round first, found by their ids (`evaluationID`):
    /// a topic's page must not read every evaluation its community ever made.
    public func evaluations(of topic: Topic) throws -> [Evaluation] {
        try (1...max(topic.evaluationRound, 1)).compactMap { round in try evaluation(evaluationID(topic, round: round)) }
    }

    public func jointMeetings() throws -> [JointMeeting] { try views("joint").compactMap(Self.jointMeeting) }

    // What the residents' board reads of a whole community on every page it renders: only
    // the fields it shows or hides (a topic's description or a meeting's minutes would be
    // most of what it read, and it reads a community's two thousand topics).
    public func topicsForBoard() throws -> [Topic] {
        try shownViews("topic", fields: ["title", "status", "category", "dispute", "raisedOn", "closedOn", "idea", "channel", "handling",
                                         "proposerName", "proposerAddress", "anonymous"]).compactMap(Self.topic)
    }

    public func meetingsForBoard() throws -> [Meeting] {
        try views("meeting", only: ["form", "time", "place", "topics", "noticePostedAt", "registrations"]).compactMap(Self.meeting)
    }

    /// The residents who rated a result, by the names staff wrote.
    public func evaluatorNames() throws -> [String] {
        try views("evaluation", only: ["ratings"]).flatMap { Array(RecordView.entries($0.1, "ratings").keys) }
    }
    /// Street opinions hold only one-value fields: read as shown (the office reads a district's).
    public func opinions() throws -> [StreetOpinion] {
        try shownViews("opinion", fields: ["topic", "question", "askedOn", "answeredOn", "answer"]).compactMap(Self.opinion)
    }
    public func assemblies() throws -> [Assembly] { try views("assembly").compactMap { Self.assembly($0, $1, rules: rules) } }
    public func majorMatters() throws -> [MajorMatter] { try views("major").compactMap(Self.majorMatter) }
    public func mediations() throws -> [Mediation] { try views("mediation").compactMap(Self.mediation) }

    /// Every record of `type` in this loop's scope with only the shown values of `names`,
    /// fields that hold one value (register, status; the schema says): a community's
    /// figures read two thousand topics, and building each field's merge state cost four
    /// times what reading what a person sees does.
    func shownViews(_ type: String, fields names: [String]) throws -> [(String, RecordView)] {
        let spec = Schema.types.first { $0.name == type }
        var kinds: [String: FieldKind] = [:]
        for name in names {
            switch spec?.field(name)?.rule {
            case .register: kinds[name] = .register
            case .status: kinds[name] = .status
            default: preconditionFailure("\(type).\(name) is not a one-value field of the schema")
            }
        }
        let ids = try replica.records(ofType: type, scope: scope)
        let shown = try replica.shownValues(ofType: type, fields: kinds, records: ids)
        return ids.map { ($0, RecordView(shown: shown[$0] ?? [:])) }
    }

    /// Every record of `type` in this loop's scope, with all its fields or only those in `only`.
    func views(_ type: String, only: [String]? = nil) throws -> [(String, RecordView)] {
        let ids = try replica.records(ofType: type, scope: scope)
        let fields = try replica.fields(ofRecords: ids, only: only)
        return ids.map { ($0, RecordView(fields: fields[$0] ?? [:])) }
    }

    /// What a newer build wrote on a topic and on the records of its loop (its meetings,
    /// actions, escalations, evaluations), each named, for the notice on the topic's page:
    /// `会议 HL3-01-2026-H001：各议题结果`.
    public func newerContent(around topic: Topic) throws -> [String] {
        var named = topic.newerContent
        func add(_ label: String, _ id: String, _ items: [String]) {
            named += items.map { "\(label) \(referenceOf(id))：\($0)" }
        }
        for id in topic.meetings { if let meeting = try meeting(id) { add("会议", id, meeting.newerContent) } }
        for id in topic.actions { if let action = try action(id) { add("落实事项", id, action.newerContent) } }
        for id in topic.escalations { if let escalation = try escalation(id) { add("上报", id, escalation.newerContent) } }
        for evaluation in try evaluations(of: topic) {
            add("评议", evaluation.id, evaluation.newerContent)
        }
        for id in topic.opinions { if let opinion = try opinion(id) { add("街道意见征询", id, opinion.newerContent) } }
        for id in topic.assemblies { if let assembly = try assembly(id) { add("居民会议", id, assembly.newerContent) } }
        if let id = topic.major, let major = try majorMatter(id) { add("重大事项", id, major.newerContent) }
        for id in topic.mediations { if let mediation = try mediation(id) { add("调解", id, mediation.newerContent) } }
        return named
    }

    /// The topic, or a clear error naming the reference that was not found.
    func requireTopic(_ reference: String) throws -> Topic {
        guard let topic = try topic(reference) else {
            throw RuleViolation("找不到议题“\(reference)”。请用 yishi topic list 或 yishi topic search 查找正确的编号。")
        }
        return topic
    }

    func requireMeeting(_ reference: String) throws -> Meeting {
        guard let meeting = try meeting(reference) else {
            throw RuleViolation("找不到会议“\(reference)”。请用 yishi meeting list 查找正确的编号。")
        }
        return meeting
    }
}
