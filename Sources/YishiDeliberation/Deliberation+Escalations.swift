import YishiMerge
import YishiModel
import YishiStore

extension Deliberation {
    /// 社区吹哨: sends a matter the community cannot solve to the street or district.
    public func escalate(_ reference: String, level: String, department: String, reason: String,
                         deadline: LocalDate?, by author: String) throws -> String {
        try Self.checkText([(department, Self.line("承办部门", "department", 100)), (reason, Self.text("上报原因", "reason"))])
        let topic = try requireTopic(reference)
        try Self.check(level, in: Vocabulary.escalationLevels, what: "上报层级", field: "level")
        guard !department.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RuleViolation("请写明承办部门：上报件要有部门报到、答复。", field: "department")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw RuleViolation("请写明上报原因。", field: "reason") }
        if let deadline, deadline < today { throw RuleViolation("办理时限 \(deadline) 已经过去，请检查日期。", field: "deadline") }
        return try create(prefix("escalation", "S"), digits: 3, by: author) { id in
            var edits: [LocalEdit] = [
                .write(id, "topic", topic.id), .write(id, "level", level), .write(id, "department", department),
                .write(id, "reason", reason), .write(id, "escalatedOn", today.description),
                .add(topic.id, "escalations", id), .write(topic.id, "handling", "上报"),
                LocalEdit(record: topic.id, field: "status", change: status(.topic, "escalated")),
            ]
            if let deadline { edits.append(.write(id, "deadline", deadline.description)) }
            return edits
        }
    }

    /// 部门报到: the department reported in and answered.
    public func respond(_ reference: String, reportedOn: LocalDate, response: String, by author: String) throws {
        try requireStreet("部门的报到和答复", at: "“上报件”页")
        try Self.checkText([(response, Self.text("部门答复", "response"))])
        guard !response.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuleViolation("请写明部门的答复。", field: "response")
        }
        let id = recordID("escalation", reference)
        guard let escalation = try escalation(id) else {
            throw RuleViolation("找不到上报件“\(reference)”。请用 yishi escalation list 查看编号。")
        }
        if let escalated = escalation.escalatedOn, reportedOn < escalated {
            throw RuleViolation("报到日期 \(reportedOn) 早于上报日期 \(escalated)，请检查。", field: "reportedOn")
        }
        try edit([.write(id, "reportedOn", reportedOn.description), .write(id, "response", response)], by: author)
    }
}
