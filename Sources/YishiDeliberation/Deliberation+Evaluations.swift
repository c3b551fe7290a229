import YishiMerge
import YishiModel
import YishiStore

/// How an evaluation round ended.
public enum EvaluationOutcome: Sendable, Equatable {
    case accepted(SatisfactionAssessment)
    /// Below the threshold: rectification, then another (re-inspection) round.
    case rectification(SatisfactionAssessment, nextRound: Int)
}

extension Deliberation {
    /// The statuses from which residents may rate a result: the community's own actions
    /// done, or — for a matter escalated (上报事项 → 部门报到办理 → 群众评事) — every
    /// department reported in and answered.
    static let evaluable: Set<String> = ["implementing", "evaluating", "rectifying", "escalated", "mediated"]

    func evaluationID(_ topic: Topic, round: Int) -> String { "evaluation/\(topic.reference)-P\(round)" }

    /// A resident representative rates the result (群众评事), in the topic's current round.
    public func evaluate(_ reference: String, evaluator: String, rating: String, comment: String?, by author: String) throws {
        try Self.checkText([(evaluator, Self.line("评价人", "evaluator")), (comment, Self.text("意见", "comment", 1_000))])
        guard !evaluator.trimmingCharacters(in: .whitespaces).isEmpty else { throw RuleViolation("请写上评价人。", field: "evaluator") }
        let topic = try requireTopic(reference)
        let actions = try topic.actions.compactMap { try action($0) }
        let open = actions.filter { !$0.isDone && !$0.isRectification }
        let unanswered = try topic.escalations.compactMap { try escalation($0) }.filter { !$0.isAnswered }
        let current = topic.status ?? ""
        let ready = switch current {
        case "escalated": !topic.escalations.isEmpty && unanswered.isEmpty && open.isEmpty
        case "implementing": actions.contains { !$0.isRectification } && open.isEmpty
        case "evaluating", "rectifying": true
        // A dispute resolved by mediation: the parties rate the agreement (002 创新解事).
        case "mediated": open.isEmpty
        default: false
        }
        guard ready else {
            let now = topic.status.map { Workflow.topic.label(of: $0) } ?? "未知"
            let pending = (open.map(\.reference) + unanswered.map { "\($0.reference)（\($0.addressee)未答复）" }).joined(separator: "、")
            throw RuleViolation("议题 \(topic.reference) 目前“\(now)”，还没有落实完毕，不能评议"
                + (pending.isEmpty ? "" : "（尚未完成：\(pending)）") + "。落实事项都完成、上报的部门都答复后，再请居民代表评议。")
        }
        // Re-inspection (再次验收) follows a rectification on record: who did what, to
        // what standard, by when, under whose supervision — and done.
        if current == "rectifying" {
            let round = max(topic.evaluationRound, 1)
            guard let rectification = actions.first(where: { $0.isRectification && $0.round == round - 1 }) else {
                throw RuleViolation("议题 \(topic.reference) 正在整改：请先记录整改（谁来干、干到什么标准、什么时间干完、谁来监督），整改完成后再进行第 \(round) 轮评议（再次验收）。")
            }
            guard rectification.isDone else {
                throw RuleViolation("整改 \(rectification.reference) 还没有完成，完成后再进行再次验收。")
            }
        }
        try Self.check(rating, in: Vocabulary.ratings, what: "评价", field: "rating")
        let round = max(topic.evaluationRound, 1)
        let id = evaluationID(topic, round: round)
        var edits: [LocalEdit] = [
            .write(id, "topic", topic.id), .write(id, "round", String(round)),
            LocalEdit(record: id, field: "ratings", change: .entry(key: evaluator, value: rating)),
        ]
        if let comment, !comment.isEmpty {
            edits.append(LocalEdit(record: id, field: "comments", change: .entry(key: evaluator, value: comment)))
        }
        if topic.evaluationRound == 0 { edits.append(.write(topic.id, "evaluationRound", "1")) }
        if topic.status != "evaluating" {
            edits.append(LocalEdit(record: topic.id, field: "status", change: status(.topic, "evaluating", round: round)))
        }
        try edit(edits, by: author)
    }

    /// Closes the current round: satisfied enough, the topic is closed; otherwise it goes
    /// to rectification and a re-inspection round opens.
    public func closeEvaluation(_ reference: String, by author: String) throws -> EvaluationOutcome {
        let topic = try requireTopic(reference)
        let round = max(topic.evaluationRound, 1)
        guard let evaluation = try evaluation(evaluationID(topic, round: round)), !evaluation.ratings.isEmpty else {
            throw RuleViolation("议题 \(topic.reference) 第 \(round) 轮还没有任何评价，不能结束评议。")
        }
        guard topic.status == "evaluating" else {
            throw RuleViolation("议题 \(topic.reference) 不在评议中（目前“\(Workflow.topic.label(of: topic.status ?? ""))”）。")
        }
        let assessment = SatisfactionAssessment(ratings: Array(evaluation.ratings.values), percent: rules.satisfactionPercent)
        if assessment.passed {
            try edit([
                .write(evaluation.id, "result", assessment.summary), .write(evaluation.id, "percent", String(assessment.percent)),
                .write(topic.id, "closedOn", today.description),
                LocalEdit(record: topic.id, field: "status", change: status(.topic, "closed")),
            ], by: author)
            return .accepted(assessment)
        }
        try edit([
            .write(evaluation.id, "result", assessment.summary), .write(evaluation.id, "percent", String(assessment.percent)),
            .write(topic.id, "evaluationRound", String(round + 1)),
            LocalEdit(record: topic.id, field: "status", change: status(.topic, "rectifying", round: round)),
        ], by: author)
        return .rectification(assessment, nextRound: round + 1)
    }

    /// 整改: after a round below the threshold, what will be put right, with the four
    /// elements of an action. Kept as an action of the topic, marked as the rectification
    /// of that round; the re-inspection round opens once it is done.
    public func recordRectification(_ reference: String, elements: ActionElements, by author: String) throws -> String {
        try Self.checkElements(elements)
        let topic = try requireTopic(reference)
        guard topic.status == "rectifying" else {
            throw RuleViolation("议题 \(topic.reference) 目前“\(Workflow.topic.label(of: topic.status ?? ""))”，不在整改中，无需记录整改。")
        }
        let failedRound = max(topic.evaluationRound, 1) - 1
        if try topic.actions.compactMap({ try action($0) }).contains(where: { $0.isRectification && $0.round == failedRound }) {
            throw RuleViolation("第 \(failedRound) 轮评议后的整改已经记录，请在议题页面更新它。")
        }
        guard elements.missing.isEmpty else {
            throw RuleViolation("整改须写明：\(elements.missing.joined(separator: "、"))。", field: Self.elementField(elements.missing[0]))
        }
        if let deadline = elements.deadline, LocalDate(deadline) == nil {
            throw RuleViolation("时限“\(deadline)”不是有效日期，请写成 2026-12-31 这样的格式，并确认这一天存在。", field: "deadline")
        }
        return try create(prefix("action", "A"), digits: 3, by: author) { id in
            [.write(id, "topic", topic.id), .add(topic.id, "actions", id), .write(id, "purpose", "整改"),
             .write(id, "round", String(failedRound)),
             LocalEdit(record: id, field: "status", change: status(.action, "assigned"))]
                + [("owner", elements.owner), ("standard", elements.standard), ("deadline", elements.deadline),
                   ("supervisor", elements.supervisor)].compactMap { name, value in value.map { .write(id, name, $0) } }
        }
    }

    static func elementField(_ label: String) -> String {
        ["谁来干": "owner", "干到什么标准": "standard", "什么时间干完": "deadline", "谁来监督": "supervisor"][label] ?? "owner"
    }
}
