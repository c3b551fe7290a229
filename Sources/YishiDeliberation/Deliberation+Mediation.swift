import YishiMerge
import YishiModel
import YishiStore

extension Deliberation {
    /// Takes up a dispute by mediation instead of deliberation (002 创新解事): the mediator,
    /// and who else takes part (`律师：王律师`, `法官：…`, `人民调解员：…`).
    public func startMediation(_ reference: String, mediator: String, participants: [String], by author: String) throws -> String {
        try Self.checkText([(mediator, Self.line("调解人", "mediator", 100))] + participants.map { ($0, Self.line("参与调解", "participants", 100)) })
        let topic = try requireTopic(reference)
        guard topic.isDispute else {
            throw RuleViolation("议题 \(topic.reference) 不是纠纷：类别为“\(Vocabulary.disputeCategory)”或分类时标为纠纷的议题才能调解。",
                                remedy: Remedy(commandLine: "确是纠纷的，请先 yishi topic classify \(topic.reference) --as 待办 --dispute。",
                                               desk: "确是纠纷的，请先在分类页面勾选“纠纷”。"))
        }
        guard topic.isOpen else { throw RuleViolation("议题 \(topic.reference) 已经结束，不能再调解。") }
        if let open = try topic.mediations.compactMap({ try mediation($0) }).first(where: { $0.outcome == nil }) {
            throw RuleViolation("议题 \(topic.reference) 的调解 \(open.reference) 还没有结果，请在那里继续记录。")
        }
        guard !mediator.trimmingCharacters(in: .whitespaces).isEmpty else { throw RuleViolation("请写上调解人。", field: "mediator") }
        return try create(prefix("mediation", "T"), digits: 3, by: author) { id in
            [.write(id, "topic", topic.id), .write(id, "mediator", mediator), .add(topic.id, "mediations", id),
             LocalEdit(record: topic.id, field: "status", change: status(.topic, "mediating"))]
                + participants.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { .add(id, "participants", $0) }
        }
    }

    /// One mediation session: its date and how it went.
    public func recordMediationSession(_ reference: String, on date: LocalDate, summary: String, by author: String) throws {
        try Self.checkText([(summary, Self.text("调解情况", "summary", 2_000))])
        let mediation = try requireMediation(reference)
        guard mediation.outcome == nil else { throw RuleViolation("调解 \(mediation.reference) 已有结果（\(mediation.outcome!)），不能再记录调解经过。") }
        guard !summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuleViolation("请写明这次调解的情况。", field: "summary")
        }
        guard date <= today else { throw RuleViolation("调解日期 \(date) 还没有到；请在调解后记录。", field: "date") }
        try edit([.add(mediation.id, "sessions", "\(date)：\(summary)")], by: author)
    }

    /// How the mediation ended: 化解 with the agreement's terms, 未化解, or 转交 to someone.
    /// The topic follows: resolved disputes are rated by the parties, unresolved ones go on
    /// to deliberation or escalation, transferred ones leave the community's loop.
    public func closeMediation(_ reference: String, outcome: String, on date: LocalDate, agreement: String?, transferredTo: String?,
                               by author: String) throws {
        try Self.checkText([(agreement, Self.text("调解协议", "agreement", 10_000)), (transferredTo, Self.line("转交给", "transferredTo", 100))])
        let mediation = try requireMediation(reference)
        guard mediation.outcome == nil else { throw RuleViolation("调解 \(mediation.reference) 已于 \(mediation.outcomeOn?.description ?? "") 记录结果：\(mediation.outcome!)。") }
        try Mediation.checkOutcome(outcome, agreement: agreement, transferredTo: transferredTo)
        guard !mediation.sessions.isEmpty else {
            throw RuleViolation("调解 \(mediation.reference) 还没有记录任何一次调解经过，请先记录。", field: "outcome")
        }
        guard date <= today else { throw RuleViolation("结果日期 \(date) 还没有到。", field: "date") }
        var edits: [LocalEdit] = [.write(mediation.id, "outcome", outcome), .write(mediation.id, "outcomeOn", date.description)]
        if outcome == "化解", let agreement { edits.append(LocalEdit(record: mediation.id, field: "agreement", change: .text(agreement))) }
        if outcome == "转交", let transferredTo { edits.append(.write(mediation.id, "transferredTo", transferredTo)) }
        if let topic = mediation.topic {
            edits.append(LocalEdit(record: topic, field: "status", change: status(.topic, Mediation.topicStatus(after: outcome))))
        }
        try edit(edits, by: author)
    }

    func requireMediation(_ reference: String) throws -> Mediation {
        guard let mediation = try mediation(reference) else {
            throw RuleViolation("找不到调解“\(reference)”。请在议题页面查看调解编号。")
        }
        return mediation
    }
}
