import YishiMerge
import YishiModel
import YishiStore

extension Deliberation {
    /// Adds an action for a topic. Elements may be filled in later, but the minutes cannot
    /// be finalised until all four are there.
    public func addAction(topic reference: String, meeting meetingReference: String?, elements: ActionElements,
                          by author: String) throws -> String {
        try Self.checkElements(elements)
        let topic = try requireTopic(reference)
        // What the 议事厅 sent to the residents' assembly is the assembly's to decide.
        if topic.status == "assembly" {
            throw RuleViolation("议题 \(topic.reference) 已提交居民会议，居民会议作出决定之前不能添加落实事项。", remedy: Remedy(
                commandLine: "请先用 yishi assembly record \(topic.reference) … 记录居民会议的决定。",
                desk: "请先在议题页面点“记录居民会议决定”。"))
        }
        guard topic.isOpen else {
            throw RuleViolation("议题 \(topic.reference) 目前“\(Workflow.topic.label(of: topic.status ?? ""))”，已经结束，不能添加落实事项。")
        }
        let meeting = try meetingReference.map { try requireMeeting($0) }
        // Finalised minutes are closed: what is agreed later is agreed at a later meeting.
        if let final = try meeting ?? latestMeeting(of: topic), final.minutesFinal {
            throw RuleViolation("会议 \(final.reference) 的纪要已定稿，不能再加落实事项。新的事项请在下一次会议上议定后添加。", field: "meeting")
        }
        if let deadline = elements.deadline { try checkDeadline(deadline, after: meeting ?? latestMeeting(of: topic)) }
        return try create(prefix("action", "A"), digits: 3, by: author) { id in
            var edits: [LocalEdit] = [
                .write(id, "topic", topic.id), .add(topic.id, "actions", id),
                LocalEdit(record: id, field: "status", change: status(.action, "assigned")),
            ]
            if let meeting { edits.append(.write(id, "meeting", meeting.id)) }
            edits += fields(of: elements, on: id)
            if topic.status == "consensus" || topic.status == "assembly-passed" {
                edits.append(LocalEdit(record: topic.id, field: "status", change: status(.topic, "implementing")))
            }
            return edits
        }
    }

    /// Fills in elements, moves the status, or adds a dated progress note.
    public func updateAction(_ reference: String, elements: ActionElements, status statusName: String?,
                             note: String?, by author: String) throws {
        try Self.checkElements(elements)
        try Self.checkText([(note, Self.text("进展", "note", 1_000))])
        let id = recordID("action", reference)
        guard let action = try action(id) else {
            throw RuleViolation("找不到落实事项“\(reference)”。请用 yishi action list 查看编号。")
        }
        if let deadline = elements.deadline {
            let topic = try action.topic.flatMap { try self.topic($0) }
            try checkDeadline(deadline, after: try action.meeting.flatMap { try meeting($0) } ?? topic.flatMap { try latestMeeting(of: $0) })
        }
        var edits = fields(of: elements, on: id)
        if let statusName {
            guard Workflow.action.status(statusName) != nil else {
                let names = Workflow.action.statuses.map(\.label).joined(separator: "、")
                throw RuleViolation("落实事项没有“\(statusName)”这个状态；可选：\(names)。", field: "status")
            }
            edits.append(LocalEdit(record: id, field: "status", change: status(.action, statusName)))
        }
        if let note, !note.isEmpty { edits.append(.add(id, "notes", "\(today)：\(note)")) }
        guard !edits.isEmpty else { throw RuleViolation("请说明要更新什么：四要素、--status 或 --note。") }
        try edit(edits, by: author)
    }

    static func checkElements(_ elements: ActionElements) throws {
        try checkText([
            (elements.owner, line("谁来干", "owner", 100)), (elements.standard, text("干到什么标准", "standard", 500)),
            (elements.deadline, line("什么时间干完", "deadline", 20)), (elements.supervisor, line("谁来监督", "supervisor", 100)),
        ])
    }

    private func fields(of elements: ActionElements, on id: String) -> [LocalEdit] {
        [("owner", elements.owner), ("standard", elements.standard), ("deadline", elements.deadline),
         ("supervisor", elements.supervisor)].compactMap { name, value in value.map { .write(id, name, $0) } }
    }

    func latestMeeting(of topic: Topic) throws -> Meeting? {
        try topic.meetings.compactMap { try meeting($0) }.max { ($0.time ?? .init(milliseconds: 0)) < ($1.time ?? .init(milliseconds: 0)) }
    }

    /// A deadline is a real date, and not before the meeting that agreed it.
    private func checkDeadline(_ text: String, after meeting: Meeting?) throws {
        guard let deadline = LocalDate(text) else {
            throw RuleViolation("时限“\(text)”不是有效日期，请写成 2026-12-31 这样的格式，并确认这一天存在。", field: "deadline")
        }
        if let time = meeting?.time, deadline < time.date {
            throw RuleViolation("时限 \(deadline) 早于会议日期 \(time.date)，请检查。", field: "deadline")
        }
    }
}
