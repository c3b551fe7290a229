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
    /// The statuses from which residents may rate a result.
    static let evaluable: Set<String> = ["implementing", "evaluating", "rectifying"]

    func evaluationID(_ topic: Topic, round: Int) -> String { "evaluation/\(topic.reference)-P\(round)" }

    /// A resident representative rates the result (群众评事), in the topic's current round.
    public func evaluate(_ reference: String, evaluator: String, rating: String, comment: String?, by author: String) throws {
        let topic = try requireTopic(reference)
        let open = try topic.actions.compactMap { try action($0) }.filter { !$0.isDone }
        guard Self.evaluable.contains(topic.status ?? ""), !topic.actions.isEmpty, open.isEmpty || topic.status != "implementing" else {
            let now = topic.status.map { Workflow.topic.label(of: $0) } ?? "未知"
            let pending = open.map(\.reference).joined(separator: "、")
            throw RuleViolation("议题 \(topic.reference) 目前“\(now)”，还没有落实完毕，不能评议"
                + (pending.isEmpty ? "" : "（未完成的落实事项：\(pending)）") + "。落实事项都完成后再请居民代表评议。")
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
                .write(evaluation.id, "result", assessment.summary),
                .write(topic.id, "closedOn", today.description),
                LocalEdit(record: topic.id, field: "status", change: status(.topic, "closed")),
            ], by: author)
            return .accepted(assessment)
        }
        try edit([
            .write(evaluation.id, "result", assessment.summary),
            .write(topic.id, "evaluationRound", String(round + 1)),
            LocalEdit(record: topic.id, field: "status", change: status(.topic, "rectifying", round: round)),
        ], by: author)
        return .rectification(assessment, nextRound: round + 1)
    }
}
