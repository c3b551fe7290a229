/// A dispute mediated instead of deliberated (创新解事, 002): the mediator and who else
/// takes part (a lawyer, a judge, a people's mediator), each session, and the outcome.
public struct Mediation: Hashable, Sendable {
    public var id: String
    public var topic: String?
    public var mediator: String?
    public var participants: [String]
    /// `2026-11-03：双方同意先停止施工`, oldest first.
    public var sessions: [String]
    public var outcome: String?
    public var outcomeOn: LocalDate?
    public var agreement: String
    public var transferredTo: String?
    /// Two stations' outcomes that disagree (化解 at one, 未化解 at the other), until a person chooses.
    public var outcomeSides: [String] = []
    public var newerContent: [String] = []

    public init(id: String) {
        self.id = id
        participants = []
        sessions = []
        agreement = ""
    }

    public var reference: String { referenceOf(id) }
    /// Resolved, and not in dispute between two stations' records.
    public var isResolved: Bool { outcome == "化解" && outcomeSides.count < 2 }

    /// Where it stands, as people read it — `化解（2026-11-20）`, `转交（2026-11-20）：转交区人民法院`,
    /// `调解中` — and an outcome in conflict with both its sides.
    public var stateText: String {
        if outcomeSides.count > 1 { return outcomeSides.joined(separator: " / ") + "（两处记录不一致，待确认）" }
        guard let outcome else { return "调解中" }
        return outcome + (outcomeOn.map { "（\($0)）" } ?? "") + (transferredTo.map { "：转交\($0)" } ?? "")
    }

    /// 化解 records the agreement's terms; 转交 says to whom; 未化解 needs neither.
    public static func checkOutcome(_ outcome: String, agreement: String?, transferredTo: String?) throws(RuleViolation) {
        guard Vocabulary.mediationOutcomes.contains(outcome) else {
            throw RuleViolation("调解结果“\(outcome)”不在可选范围内；可选：\(Vocabulary.mediationOutcomes.joined(separator: "、"))。", field: "outcome")
        }
        if outcome == "化解", (agreement ?? "").trimmingWhitespace().isEmpty {
            throw RuleViolation("化解的纠纷要写明调解协议的内容（双方各自做什么）。", field: "agreement")
        }
        if outcome == "转交", (transferredTo ?? "").trimmingWhitespace().isEmpty {
            throw RuleViolation("请写明转交给谁（如 区人民法院、街道人民调解委员会）。", field: "transferredTo")
        }
    }

    /// The topic's status once mediation ends this way.
    public static func topicStatus(after outcome: String) -> String {
        switch outcome {
        case "化解": "mediated"
        case "转交": "transferred"
        default: "mediation-failed"
        }
    }
}

/// 化解率 as the seeds report it (5,012 of 5,077 disputes resolved: 98.7 %).
public struct DisputeFigures: Hashable, Sendable, Encodable {
    public var found: Int
    public var resolved: Int

    public init(found: Int, resolved: Int) {
        self.found = found
        self.resolved = resolved
    }

    public var perMille: Int? { Percent.perMille(resolved, of: found) }
    public var rate: String { Percent.text(resolved, of: found) }
}
