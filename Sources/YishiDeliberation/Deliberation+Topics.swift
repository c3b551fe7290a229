import YishiMerge
import YishiModel
import YishiStore

/// What a grid worker records when a resident raises a matter (居民说事).
public struct TopicDraft: Sendable {
    public var title: String
    public var description: String
    public var channel: String
    public var proposer: Proposer
    public var category: String?
    public var raisedOn: LocalDate?
    /// Raised on the residents' board: the digest of the receipt number it was given.
    public var receipt: String?

    public init(title: String, description: String, channel: String, proposer: Proposer,
                category: String? = nil, raisedOn: LocalDate? = nil, receipt: String? = nil) {
        self.title = title
        self.description = description
        self.channel = channel
        self.proposer = proposer
        self.category = category
        self.raisedOn = raisedOn
        self.receipt = receipt
    }
}

extension Deliberation {
    /// Registers a matter and returns its reference number.
    public func raise(_ draft: TopicDraft, by author: String) throws -> String {
        try Self.checkText([
            (draft.title, .title), (draft.description, .description), (draft.proposer.name, Self.line("提议人姓名", "proposerName")),
            (draft.proposer.address, Self.line("提议人住址", "address", 100)), (draft.proposer.phone, Self.line("提议人电话", "phone", 30)),
        ])
        guard !draft.title.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RuleViolation("请写上议题的标题（一句话说明是什么事）。", field: "title")
        }
        try Self.check(draft.channel, in: Vocabulary.channels, what: "渠道", field: "channel")
        if let category = draft.category { try Self.check(category, in: Vocabulary.categories, what: "类别", field: "category") }
        if let phone = draft.proposer.phone, !Redaction.isPhoneNumber(phone) {
            throw RuleViolation("电话号码“\(phone)”格式不对：手机号 11 位，座机如 0451-86123456。", field: "phone")
        }
        let raisedOn = draft.raisedOn ?? today
        return try create(prefix("topic"), by: author) { id in
            var edits: [LocalEdit] = [
                .write(id, "title", draft.title), .write(id, "channel", draft.channel),
                .write(id, "raisedOn", raisedOn.description), .write(id, "round", "0"),
                LocalEdit(record: id, field: "status", change: status(.topic, "raised")),
            ]
            if !draft.description.isEmpty {
                edits.append(LocalEdit(record: id, field: "description", change: .text(draft.description)))
            }
            if let name = draft.proposer.name { edits.append(.write(id, "proposerName", name)) }
            if let address = draft.proposer.address { edits.append(.write(id, "proposerAddress", address)) }
            if let phone = draft.proposer.phone { edits.append(.write(id, "proposerPhone", phone)) }
            if draft.proposer.anonymous { edits.append(.write(id, "anonymous", "是")) }
            if let category = draft.category { edits.append(.write(id, "category", category)) }
            if let receipt = draft.receipt { edits.append(.write(id, "receipt", receipt)) }
            return edits
        }
    }

    /// Marks what is not a matter (an advertisement, a duplicate, unrelated) as 无效, with
    /// the reason: a state, not a deletion. It leaves the residents' board and the figures.
    public func markInvalid(_ reference: String, reason: String, by author: String) throws {
        try Self.checkText([(reason, Self.text("原因", "reason", 500))])
        let topic = try requireTopic(reference)
        guard topic.isOpen else {
            throw RuleViolation("议题 \(topic.reference) 目前“\(Workflow.topic.label(of: topic.status ?? ""))”，已经结束，无需标记无效。")
        }
        guard topic.meetings.isEmpty, topic.actions.isEmpty else {
            throw RuleViolation("议题 \(topic.reference) 已经协商或落实，不能再标记为无效。")
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuleViolation("请写明为什么无效（如 广告、重复反映、与社区事务无关）。", field: "reason")
        }
        try edit([.write(topic.id, "invalidReason", reason),
                  LocalEdit(record: topic.id, field: "status", change: status(.topic, "invalid"))], by: author)
    }

    /// The topic raised online with the receipt whose digest is `digest`, in this loop's scope.
    public func topic(withReceipt digest: String) throws -> Topic? {
        guard let id = try shownViews("topic", fields: ["receipt"]).first(where: { $0.1.string("receipt") == digest })?.0 else { return nil }
        return try topic(id)
    }

    /// 下沉听事: sorts a matter into 即办 / 待办 / 上报 and one of the ten categories, and
    /// says whether it touches government public services (the street's opinion comes
    /// before a meeting) or is a dispute (it may be mediated). Nil leaves a flag as it is.
    public func classify(_ reference: String, handling: String, category: String?, publicService: Bool? = nil,
                         dispute: Bool? = nil, by author: String) throws {
        let topic = try requireTopic(reference)
        try Self.check(handling, in: Vocabulary.handlingClasses, what: "办理类别", field: "handling")
        if let category { try Self.check(category, in: Vocabulary.categories, what: "类别", field: "category") }
        var edits: [LocalEdit] = [.write(topic.id, "handling", handling)]
        if let category { edits.append(.write(topic.id, "category", category)) }
        if let publicService, publicService != topic.publicService { edits.append(.write(topic.id, "publicService", publicService ? "是" : nil)) }
        if let dispute, dispute != topic.dispute { edits.append(.write(topic.id, "dispute", dispute ? "是" : nil)) }
        if topic.status == "raised" {
            edits.append(LocalEdit(record: topic.id, field: "status", change: status(.topic, "classified")))
        }
        try edit(edits, by: author)
    }

    /// Changes what a topic says; only the given parts.
    /// With `base`, the description is diffed against it as the writer loaded it.
    public func revise(_ reference: String, title: String?, description: String?, base: TextBase? = nil, by author: String) throws {
        try Self.checkText([(title, .title), (description, .description)])
        let topic = try requireTopic(reference)
        var edits: [LocalEdit] = []
        if let title {
            guard !title.trimmingCharacters(in: .whitespaces).isEmpty else { throw RuleViolation("标题不能为空。", field: "title") }
            edits.append(.write(topic.id, "title", title))
        }
        if let description {
            edits.append(LocalEdit(record: topic.id, field: "description", change: base.map { .textSince($0, description) } ?? .text(description)))
        }
        guard !edits.isEmpty else { throw RuleViolation("请用 --title 或 --description 说明要改什么。") }
        try edit(edits, by: author)
    }

    /// Marks a resident's idea 金点子 or 好法子: it earns the proposer points (积分制).
    public func markIdea(_ reference: String, as mark: String, by author: String) throws {
        let topic = try requireTopic(reference)
        try Self.check(mark, in: Vocabulary.ideaMarks, what: "标记", field: "mark")
        guard !topic.proposer.anonymous, topic.proposer.name != nil else {
            throw RuleViolation("议题 \(topic.reference) 的提议人是匿名的，积分无处可记。")
        }
        try edit([.write(topic.id, "idea", mark)], by: author)
    }

    /// Takes a shelved topic up again (待时机成熟时再议), a recorded step with its reason;
    /// the next round is then scheduled as usual.
    public func reopen(_ reference: String, reason: String, by author: String) throws {
        try Self.checkText([(reason, Self.text("原因", "reason", 500))])
        let topic = try requireTopic(reference)
        guard topic.status == "shelved" else {
            throw RuleViolation("议题 \(topic.reference) 目前“\(Workflow.topic.label(of: topic.status ?? ""))”，不是搁置的议题，无需重新协商。")
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuleViolation("请写明重新协商的原因（例如时机已经成熟的情况）。", field: "reason")
        }
        try edit([
            .add(topic.id, "reopenings", "\(today) \(author)：\(reason)"),
            LocalEdit(record: topic.id, field: "status", change: status(.topic, "reopened")),
        ], by: author)
    }

    /// How many topics are open (see Topic.isOpen), whenever they were raised: only their
    /// status is read.
    public func openTopicCount() throws -> Int {
        let ids = try replica.records(ofType: "topic", scope: scope)
        let statuses = try replica.shownValues(ofType: "topic", fields: ["status": .status], records: ids)
        return ids.filter { Topic.isOpen(status: statuses[$0]?["status"]) }.count
    }

    /// Topics whose words contain `query` (Chinese found inside a sentence).
    public func search(_ query: String) throws -> [Topic] {
        try replica.search(query, type: "topic").compactMap { try topic($0) }
    }

    static func check(_ value: String, in list: [String], what: String, field: String? = nil) throws {
        guard list.contains(value) else {
            throw RuleViolation("\(what)“\(value)”不在可选范围内；可选：\(list.joined(separator: "、"))。", field: field)
        }
    }
}
