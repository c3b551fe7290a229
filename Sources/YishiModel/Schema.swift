/// The record types Yishi keeps. Every edit names one of these fields; an edit to a field
/// that is not here is refused before it becomes an op.
public enum Schema {
    public static let types: [RecordType] = [
        RecordType(name: "topic", label: "议题", fields: [
            FieldSpec("title", "标题", .register),
            FieldSpec("description", "内容", .text),
            FieldSpec("channel", "渠道", .register),
            FieldSpec("proposerName", "提议人", .register),
            FieldSpec("proposerAddress", "提议人住址", .register),
            FieldSpec("proposerPhone", "提议人电话", .register),
            FieldSpec("anonymous", "匿名", .register),
            FieldSpec("category", "类别", .register),
            FieldSpec("handling", "办理类别", .register),
            FieldSpec("status", "状态", .status),
            FieldSpec("raisedOn", "登记日期", .register),
            FieldSpec("closedOn", "办结日期", .register),
            FieldSpec("round", "协商轮次", .register),
            FieldSpec("evaluationRound", "评议轮次", .register),
            FieldSpec("idea", "金点子", .register),
            FieldSpec("tags", "标签", .set),
            FieldSpec("meetings", "协商会议", .set),
            FieldSpec("actions", "落实事项", .set),
            FieldSpec("escalations", "上报", .set),
        ], workflow: .topic),
        RecordType(name: "member", label: "协商委员", fields: [
            FieldSpec("name", "姓名", .register),
            FieldSpec("category", "界别", .register),
            FieldSpec("termStart", "任期开始", .register),
            FieldSpec("termEnd", "任期结束", .register),
        ]),
        RecordType(name: "meeting", label: "协商会议", fields: [
            FieldSpec("form", "会议形式", .register),
            FieldSpec("time", "会议时间", .register),
            FieldSpec("place", "会议地点", .register),
            FieldSpec("host", "主持人", .register),
            FieldSpec("recorder", "记录人", .register),
            FieldSpec("content", "主要内容", .register),
            FieldSpec("participants", "参加人员", .set),
            FieldSpec("noticePostedAt", "公示时间", .register),
            FieldSpec("urgentReason", "紧急原因", .register),
            FieldSpec("registrations", "报名列席", .set),
            FieldSpec("attendance", "实到人员", .set),
            FieldSpec("topics", "议题", .set),
            FieldSpec("round", "协商轮次", .register),
            FieldSpec("minutes", "会议纪要", .text),
            FieldSpec("minutesFinal", "纪要定稿", .register),
            FieldSpec("ballots", "表决", .entry),
            FieldSpec("consultedHouseholds", "征求意见户数", .register),
            FieldSpec("agreedHouseholds", "同意户数", .register),
            FieldSpec("outcome", "结果", .register),
        ]),
        RecordType(name: "action", label: "落实事项", fields: [
            FieldSpec("topic", "所属议题", .register),
            FieldSpec("meeting", "所属会议", .register),
            FieldSpec("owner", "谁来干", .register),
            FieldSpec("standard", "干到什么标准", .register),
            FieldSpec("deadline", "什么时间干完", .register),
            FieldSpec("supervisor", "谁来监督", .register),
            FieldSpec("status", "状态", .status),
            FieldSpec("notes", "进展", .set),
        ], workflow: .action),
        RecordType(name: "escalation", label: "上报", fields: [
            FieldSpec("topic", "所属议题", .register),
            FieldSpec("level", "上报层级", .register),
            FieldSpec("department", "承办部门", .register),
            FieldSpec("reason", "上报原因", .register),
            FieldSpec("escalatedOn", "上报日期", .register),
            FieldSpec("deadline", "办理时限", .register),
            FieldSpec("reportedOn", "部门报到日期", .register),
            FieldSpec("response", "部门答复", .register),
        ]),
        RecordType(name: "evaluation", label: "评议", fields: [
            FieldSpec("topic", "所属议题", .register),
            FieldSpec("round", "轮次", .register),
            FieldSpec("ratings", "评价", .entry),
            FieldSpec("comments", "意见", .entry),
            FieldSpec("result", "结论", .register),
        ]),
    ]

    public static func type(named name: String) -> RecordType? { types.first { $0.name == name } }

    /// The type of a record id `type/reference`, if the id is well formed.
    public static func type(ofRecord id: String) -> RecordType? {
        guard let slash = id.firstIndex(of: "/"), id.index(after: slash) < id.endIndex else { return nil }
        return type(named: String(id[..<slash]))
    }
}
