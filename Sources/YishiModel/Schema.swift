/// The record types Yishi keeps. Every edit names one of these fields; an edit to a field
/// that is not here is refused before it becomes an op.
public enum Schema {
    public static let types: [RecordType] = [
        RecordType(name: "topic", label: "议题", fields: [
            FieldSpec("title", "标题", .register),
            FieldSpec("description", "内容", .text),
            FieldSpec("channel", "渠道", .register),
            FieldSpec("proposer", "提议人", .register),
            FieldSpec("category", "类别", .register),
            FieldSpec("handling", "办理类别", .register),
            FieldSpec("status", "状态", .status),
            FieldSpec("tags", "标签", .set),
            FieldSpec("meetings", "关联会议", .set),
            FieldSpec("golden", "金点子", .register),
        ], workflow: .topic),
        RecordType(name: "meeting", label: "协商会议", fields: [
            FieldSpec("form", "会议形式", .register),
            FieldSpec("time", "会议时间", .register),
            FieldSpec("place", "会议地点", .register),
            FieldSpec("host", "主持人", .register),
            FieldSpec("recorder", "记录人", .register),
            FieldSpec("participants", "参加人员", .set),
            FieldSpec("registrations", "报名", .set),
            FieldSpec("topics", "议题", .set),
            FieldSpec("minutes", "会议纪要", .text),
            FieldSpec("ballots", "表决", .entry),
        ]),
        RecordType(name: "action", label: "落实事项", fields: [
            FieldSpec("topic", "所属议题", .register),
            FieldSpec("owner", "谁来干", .register),
            FieldSpec("standard", "干到什么标准", .register),
            FieldSpec("deadline", "什么时间干完", .register),
            FieldSpec("supervisor", "谁来监督", .register),
            FieldSpec("status", "状态", .status),
            FieldSpec("progress", "进展", .text),
        ], workflow: .action),
        RecordType(name: "evaluation", label: "评议", fields: [
            FieldSpec("topic", "所属议题", .register),
            FieldSpec("round", "轮次", .register),
            FieldSpec("ratings", "评价", .entry),
        ]),
    ]

    public static func type(named name: String) -> RecordType? { types.first { $0.name == name } }

    /// The type of a record id `type/reference`, if the id is well formed.
    public static func type(ofRecord id: String) -> RecordType? {
        guard let slash = id.firstIndex(of: "/"), id.index(after: slash) < id.endIndex else { return nil }
        return type(named: String(id[..<slash]))
    }
}
