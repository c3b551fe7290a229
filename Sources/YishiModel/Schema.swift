/// The record types Yishi keeps. Every edit names one of these fields; an edit to a field
/// that is not here is refused before it becomes an op.
public enum Schema {
    public static let types: [RecordType] = [
        RecordType(name: "topic", label: "议题", fields: [
            FieldSpec("title", "标题", .register),
            FieldSpec("description", "内容", .text),
            FieldSpec("channel", "渠道", .register, owner: "yishi topic raise", choices: Vocabulary.channels),
            FieldSpec("proposerName", "提议人", .register),
            FieldSpec("proposerAddress", "提议人住址", .register),
            FieldSpec("proposerPhone", "提议人电话", .register),
            FieldSpec("anonymous", "匿名", .register, owner: "yishi topic raise"),
            FieldSpec("category", "类别", .register, owner: "yishi topic classify", choices: Vocabulary.categories),
            FieldSpec("handling", "办理类别", .register, owner: "yishi topic classify", choices: Vocabulary.handlingClasses),
            FieldSpec("status", "状态", .status, owner: "议事流程的各个命令", choices: Workflow.topic.statuses.map(\.name)),
            FieldSpec("raisedOn", "登记日期", .register, owner: "yishi topic raise"),
            FieldSpec("closedOn", "办结日期", .register, owner: "yishi evaluation close"),
            FieldSpec("round", "协商轮次", .register, owner: "yishi meeting schedule"),
            FieldSpec("evaluationRound", "评议轮次", .register, owner: "yishi evaluation close"),
            FieldSpec("idea", "金点子", .register, owner: "yishi topic idea", choices: Vocabulary.ideaMarks),
            FieldSpec("tags", "标签", .set),
            FieldSpec("meetings", "协商会议", .set, owner: "yishi meeting schedule"),
            FieldSpec("actions", "落实事项", .set, owner: "yishi action add"),
            FieldSpec("escalations", "上报", .set, owner: "yishi escalation add"),
            // Since schema 1.1: why a shelved topic was taken up again, dated and signed.
            FieldSpec("reopenings", "重新协商的原因", .set, owner: "yishi topic reopen", addedIn: 1),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 1),
            // Since schema 1.2: the seeds' last procedures (confirmation, the street's
            // opinion, the residents' assembly, major matters, mediation).
            FieldSpec("publicService", "涉及政府公共服务", .register, owner: "yishi topic classify / yishi joint hold", addedIn: 2),
            FieldSpec("dispute", "纠纷", .register, owner: "yishi topic classify", addedIn: 2),
            FieldSpec("jointMeeting", "两委联席会议", .register, owner: "yishi joint hold", addedIn: 2),
            FieldSpec("opinions", "街道意见征询", .set, owner: "yishi topic ask-street", addedIn: 2),
            FieldSpec("assemblies", "居民会议", .set, owner: "yishi assembly record", addedIn: 2),
            FieldSpec("major", "重大事项", .register, owner: "yishi major start", addedIn: 2),
            FieldSpec("mediations", "调解", .set, owner: "yishi mediation start", addedIn: 2),
            // A matter raised on the residents' board: its receipt number's digest, for the
            // resident's look-up; and, for what is not a matter, why it was marked 无效.
            FieldSpec("receipt", "回执号", .register, owner: "网上征集", addedIn: 2),
            FieldSpec("invalidReason", "无效的原因", .register, owner: "yishi topic invalid", addedIn: 2),
        ], workflow: .topic),
        RecordType(name: "member", label: "协商委员", fields: [
            FieldSpec("name", "姓名", .register, owner: "yishi committee add"),
            FieldSpec("category", "界别", .register, owner: "yishi committee add"),
            FieldSpec("termStart", "任期开始", .register, owner: "yishi committee add"),
            FieldSpec("termEnd", "任期结束", .register, owner: "yishi committee end"),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 1),
        ]),
        RecordType(name: "meeting", label: "协商会议", fields: [
            FieldSpec("form", "会议形式", .register, owner: "yishi meeting schedule", choices: Vocabulary.meetingForms),
            FieldSpec("time", "会议时间", .register, owner: "yishi meeting schedule"),
            FieldSpec("place", "会议地点", .register),
            FieldSpec("host", "主持人", .register),
            FieldSpec("recorder", "记录人", .register),
            FieldSpec("content", "主要内容", .register),
            FieldSpec("participants", "参加人员", .set),
            FieldSpec("noticePostedAt", "公示时间", .register, owner: "yishi meeting schedule"),
            FieldSpec("urgentReason", "紧急原因", .register, owner: "yishi meeting schedule"),
            FieldSpec("registrations", "报名列席", .set, owner: "yishi meeting register"),
            FieldSpec("attendance", "实到人员", .set, owner: "yishi meeting attend"),
            FieldSpec("topics", "议题", .set, owner: "yishi meeting schedule"),
            FieldSpec("round", "协商轮次", .register, owner: "yishi meeting schedule"),
            FieldSpec("minutes", "会议纪要", .text, owner: "yishi meeting minutes"),
            FieldSpec("minutesFinal", "纪要定稿", .register, owner: "yishi meeting finalise"),
            FieldSpec("ballots", "表决", .entry, owner: "yishi meeting vote", choices: Vocabulary.ballotChoices),
            FieldSpec("consultedHouseholds", "征求意见户数", .register, owner: "yishi meeting consult"),
            FieldSpec("agreedHouseholds", "同意户数", .register, owner: "yishi meeting consult"),
            FieldSpec("outcome", "结果", .register, owner: "yishi meeting close"),
            // Since schema 1.1: each topic's own outcome and round at the meeting, keyed by
            // the topic's record id. `outcome` and `round` above are what older stations read.
            FieldSpec("outcomes", "各议题结果", .entry, owner: "yishi meeting close", addedIn: 1),
            FieldSpec("rounds", "各议题轮次", .entry, owner: "yishi meeting schedule", addedIn: 1),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 1),
            // Since schema 1.3: the consensus share each topic's round was judged by (`JudgedShare`).
            FieldSpec("consensusPercents", "各议题共识比例", .entry, owner: "yishi meeting close", addedIn: 3),
        ]),
        RecordType(name: "action", label: "落实事项", fields: [
            FieldSpec("topic", "所属议题", .register, owner: "yishi action add / yishi action update"),
            FieldSpec("meeting", "所属会议", .register, owner: "yishi action add / yishi action update"),
            FieldSpec("owner", "谁来干", .register, owner: "yishi action add / yishi action update"),
            FieldSpec("standard", "干到什么标准", .register, owner: "yishi action add / yishi action update"),
            FieldSpec("deadline", "什么时间干完", .register, owner: "yishi action add / yishi action update"),
            FieldSpec("supervisor", "谁来监督", .register, owner: "yishi action add / yishi action update"),
            FieldSpec("status", "状态", .status, owner: "yishi action add / yishi action update", choices: Workflow.action.statuses.map(\.name)),
            FieldSpec("notes", "进展", .set, owner: "yishi action add / yishi action update"),
            // Since schema 1.1: a rectification (整改) after an evaluation round, and that round.
            FieldSpec("purpose", "性质", .register, owner: "yishi evaluation rectify", addedIn: 1),
            FieldSpec("round", "整改的评议轮次", .register, owner: "yishi evaluation rectify", addedIn: 1),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 1),
        ], workflow: .action),
        RecordType(name: "escalation", label: "上报", fields: [
            FieldSpec("topic", "所属议题", .register, owner: "yishi escalation add / yishi escalation respond"),
            FieldSpec("level", "上报层级", .register, owner: "yishi escalation add / yishi escalation respond", choices: Vocabulary.escalationLevels),
            FieldSpec("department", "承办部门", .register, owner: "yishi escalation add / yishi escalation respond"),
            FieldSpec("reason", "上报原因", .register, owner: "yishi escalation add / yishi escalation respond"),
            FieldSpec("escalatedOn", "上报日期", .register, owner: "yishi escalation add / yishi escalation respond"),
            FieldSpec("deadline", "办理时限", .register, owner: "yishi escalation add / yishi escalation respond"),
            FieldSpec("reportedOn", "部门报到日期", .register, owner: "街道工作台“上报件”", streetOnly: true),
            FieldSpec("response", "部门答复", .register, owner: "街道工作台“上报件”", streetOnly: true),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 1),
        ]),
        // 两委联席会议 (001 art. 9 (3)): the party organisation and the residents' committee
        // confirm the topics before a 议事厅 meeting, or set them aside with the reason.
        RecordType(name: "joint", label: "两委联席会议", fields: [
            FieldSpec("date", "会议日期", .register, owner: "yishi joint hold", addedIn: 2),
            FieldSpec("participants", "参加人员", .set, addedIn: 2),
            FieldSpec("decisions", "确定议题", .entry, owner: "yishi joint hold", addedIn: 2),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 2),
        ]),
        // 街道意见: a topic touching government public services waits for the street's
        // opinion, which the office desk writes under the community's origin.
        RecordType(name: "opinion", label: "街道意见征询", fields: [
            FieldSpec("topic", "所属议题", .register, owner: "yishi topic ask-street", addedIn: 2),
            FieldSpec("question", "征询内容", .register, owner: "yishi topic ask-street", addedIn: 2),
            FieldSpec("askedOn", "征询日期", .register, owner: "yishi topic ask-street", addedIn: 2),
            FieldSpec("answeredOn", "答复日期", .register, owner: "yishi opinion answer（街道）", addedIn: 2, streetOnly: true),
            FieldSpec("answer", "街道意见", .register, owner: "yishi opinion answer（街道）", addedIn: 2, streetOnly: true),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 2),
        ]),
        // 居民会议 (城市居民委员会组织法 第十条): what the 议事厅 sent it, decided.
        RecordType(name: "assembly", label: "居民会议", fields: [
            FieldSpec("topic", "所属议题", .register, owner: "yishi assembly record", addedIn: 2),
            FieldSpec("date", "会议日期", .register, owner: "yishi assembly record", addedIn: 2),
            FieldSpec("convenedAs", "参加范围", .register, owner: "yishi assembly record", choices: Vocabulary.assemblyBases, addedIn: 2),
            FieldSpec("entitled", "应到人数", .register, owner: "yishi assembly record", addedIn: 2),
            FieldSpec("attended", "实到人数", .register, owner: "yishi assembly record", addedIn: 2),
            FieldSpec("inFavour", "赞成", .register, owner: "yishi assembly record", addedIn: 2),
            FieldSpec("against", "反对", .register, owner: "yishi assembly record", addedIn: 2),
            FieldSpec("abstained", "弃权", .register, owner: "yishi assembly record", addedIn: 2),
            FieldSpec("result", "结果", .register, owner: "yishi assembly record", addedIn: 2),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 2),
            // Since schema 1.3: the quorum and majority it was judged by (`JudgedShare`).
            FieldSpec("quorumPercent", "法定人数比例", .register, owner: "yishi assembly record", addedIn: 3),
            FieldSpec("majorityPercent", "通过比例", .register, owner: "yishi assembly record", addedIn: 3),
        ]),
        // 五议一备两公开 (002): a major matter's five steps, filing with the street's party
        // working committee, and two publications.
        RecordType(name: "major", label: "重大事项", fields: [
            FieldSpec("topic", "所属议题", .register, owner: "yishi major start", addedIn: 2),
            FieldSpec("stepDates", "各步日期", .entry, owner: "yishi major step", addedIn: 2),
            FieldSpec("stepPeople", "各步参加人员", .entry, owner: "yishi major step", addedIn: 2),
            FieldSpec("stepNotes", "各步内容", .entry, owner: "yishi major step", addedIn: 2),
            FieldSpec("resolution", "决议", .text, owner: "yishi major file", addedIn: 2),
            FieldSpec("filedOn", "备案日期", .register, owner: "yishi major file", addedIn: 2),
            FieldSpec("acknowledgedOn", "街道签收日期", .register, owner: "yishi major acknowledge（街道）", addedIn: 2, streetOnly: true),
            FieldSpec("acknowledgedBy", "签收人", .register, owner: "yishi major acknowledge（街道）", addedIn: 2, streetOnly: true),
            FieldSpec("resolutionPublishedOn", "决议公开日期", .register, owner: "yishi major publish", addedIn: 2),
            FieldSpec("outcome", "实施结果", .text, owner: "yishi major publish", addedIn: 2),
            FieldSpec("outcomePublishedOn", "结果公开日期", .register, owner: "yishi major publish", addedIn: 2),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 2),
        ]),
        // 创新解事 (002): a dispute mediated instead of deliberated.
        RecordType(name: "mediation", label: "调解", fields: [
            FieldSpec("topic", "所属议题", .register, owner: "yishi mediation start", addedIn: 2),
            FieldSpec("mediator", "调解人", .register, addedIn: 2),
            FieldSpec("participants", "参与调解", .set, addedIn: 2),
            FieldSpec("sessions", "调解经过", .set, owner: "yishi mediation session", addedIn: 2),
            FieldSpec("outcome", "调解结果", .register, owner: "yishi mediation close", choices: Vocabulary.mediationOutcomes, addedIn: 2),
            FieldSpec("outcomeOn", "结果日期", .register, owner: "yishi mediation close", addedIn: 2),
            FieldSpec("agreement", "调解协议", .text, owner: "yishi mediation close", addedIn: 2),
            FieldSpec("transferredTo", "转交给", .register, owner: "yishi mediation close", addedIn: 2),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 2),
        ]),
        RecordType(name: "evaluation", label: "评议", fields: [
            FieldSpec("topic", "所属议题", .register, owner: "yishi evaluation add / yishi evaluation close"),
            FieldSpec("round", "轮次", .register, owner: "yishi evaluation add / yishi evaluation close"),
            FieldSpec("ratings", "评价", .entry, owner: "yishi evaluation add / yishi evaluation close", choices: Vocabulary.ratings),
            FieldSpec("comments", "意见", .entry, owner: "yishi evaluation add / yishi evaluation close"),
            FieldSpec("result", "结论", .register, owner: "yishi evaluation add / yishi evaluation close"),
            FieldSpec("repairs", "人工修正", .set, owner: "yishi record … --repair", addedIn: 1),
            // Since schema 1.3: the satisfaction share the round was judged by (`JudgedShare`).
            FieldSpec("percent", "满意率标准", .register, owner: "yishi evaluation close", addedIn: 3),
        ]),
    ]

    public static func type(named name: String) -> RecordType? { types.first { $0.name == name } }

    /// The type and field a record id `type/reference` and a field name stand for, or a
    /// message naming what is wrong and what would be right.
    public static func field(ofRecord record: String, named field: String) throws(RuleViolation) -> (type: RecordType, field: FieldSpec) {
        guard let type = type(ofRecord: record) else {
            let names = types.map { "\($0.name)（\($0.label)）" }.joined(separator: "、")
            throw RuleViolation("记录编号“\(record)”不对：应写成 类型/编号，例如 topic/HL3-01-2026-0017；类型可以是 \(names)。")
        }
        guard let spec = type.field(field) else {
            let names = type.fields.map { "\($0.name)（\($0.label)）" }.joined(separator: "、")
            throw RuleViolation("\(type.label)没有“\(field)”这一项；可用的有：\(names)。")
        }
        return (type, spec)
    }

    /// The minor revision of the model this build reads and writes: each additive change
    /// (a new field; see `FieldSpec.addedIn`) raises it, while the wire keeps `"schema":1`.
    public static let revision = 3

    /// The model as a build of an older `revision` knew it: what that build reads, and so
    /// what it shows as newer content.
    public static func types(asOfRevision revision: Int) -> [RecordType] {
        types.map { type in
            var older = type
            older.fields = type.fields.filter { $0.addedIn <= revision }
            return older
        }
    }

    /// What in a record this build's model does not know, as people read it: each field a
    /// newer build added (by its name, the only word for it this build has) and each value
    /// outside a field's choices (`类别“社区安全”`). Such ops are kept and relayed, and take
    /// effect when this station is upgraded. `values` gives a field's shown values (every
    /// entry's, for an entry field) and is asked only for fields with choices.
    /// (The committee's 界别 have no fixed choices: each community sets its own in rules.)
    public static func newerContent(
        ofRecord id: String, fields names: some Sequence<String>, values: (String) -> [String],
        in model: [RecordType] = types
    ) -> [String] {
        guard let slash = id.firstIndex(of: "/") else { return [] }
        let typeName = String(id[..<slash])
        guard let type = model.first(where: { $0.name == typeName }) else { return [] }
        var newer: [String] = []
        for name in names.sorted() {
            guard let spec = type.field(name) else {
                newer.append(name)
                continue
            }
            guard let choices = spec.choices else { continue }
            for value in Set(values(name)).sorted() where !choices.contains(value) {
                newer.append("\(spec.label)“\(value)”")
            }
        }
        return newer
    }

    /// The field as people read it, if only the street may set it there (see
    /// `FieldSpec.streetOnly`); nil for every other field.
    public static func streetOnlyLabel(record: String, field: String) -> String? {
        // Asked of every op a replica takes in: the few names first, the record's type after.
        guard streetOnlyNames.contains(field), let spec = type(ofRecord: record)?.field(field), spec.streetOnly else { return nil }
        return spec.label
    }

    private static let streetOnlyNames = Set(types.flatMap { $0.fields.filter(\.streetOnly).map(\.name) })

    /// The type of a record id `type/reference`, if the id is well formed.
    public static func type(ofRecord id: String) -> RecordType? {
        guard let slash = id.firstIndex(of: "/"), id.index(after: slash) < id.endIndex else { return nil }
        return type(named: String(id[..<slash]))
    }
}
