import YishiMerge
import YishiModel
import YishiStore

extension Deliberation {
    /// The community party committee marks a topic as a major matter: it then goes through
    /// 五议一备两公开 (002), recorded on a record of its own.
    public func startMajor(_ reference: String, by author: String) throws -> String {
        let topic = try requireTopic(reference)
        guard topic.isOpen else { throw RuleViolation("议题 \(topic.reference) 已经结束，不能再列为重大事项。") }
        if let major = topic.major { throw RuleViolation("议题 \(topic.reference) 已列为重大事项 \(referenceOf(major))。") }
        return try create(prefix("major", "Z"), digits: 3, by: author) { id in
            [.write(id, "topic", topic.id), .write(topic.id, "major", id)]
        }
    }

    /// One of the five steps, in order, with its date and who took part. 集体决议 decides the
    /// topic, which then goes on to implementation as any decided topic does.
    public func recordMajorStep(_ reference: String, step: String, date: LocalDate, people: String, note: String?, by author: String) throws {
        try Self.checkText([(people, Self.line("参加人员", "people", 500)), (note, Self.text("内容", "note", 2_000))])
        let major = try requireMajor(reference)
        try major.checkStep(step, on: date)
        guard date <= today else { throw RuleViolation("“\(step)”的日期 \(date) 还没有到；请在会后记录。", field: "date") }
        guard !people.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RuleViolation("请写上参加“\(step)”的人员或单位。", field: "people")
        }
        var edits: [LocalEdit] = [
            LocalEdit(record: major.id, field: "stepDates", change: .entry(key: step, value: date.description)),
            LocalEdit(record: major.id, field: "stepPeople", change: .entry(key: step, value: people)),
        ]
        if let note, !note.isEmpty { edits.append(LocalEdit(record: major.id, field: "stepNotes", change: .entry(key: step, value: note))) }
        if step == MajorMatter.steps.last, let topic = try major.topic.flatMap({ try self.topic($0) }),
           (Workflow.topic.status(topic.status ?? "")?.rank ?? 0) < 50 {
            edits.append(LocalEdit(record: topic.id, field: "status", change: status(.topic, "consensus")))
        }
        try edit(edits, by: author)
    }

    /// 一备: the written resolution filed with the street's party working committee.
    public func fileMajor(_ reference: String, on date: LocalDate, resolution: String, by author: String) throws {
        try Self.checkText([(resolution, Self.text("决议", "resolution", 20_000))])
        let major = try requireMajor(reference)
        try major.checkFiling(on: date, resolution: resolution)
        guard date <= today else { throw RuleViolation("备案日期 \(date) 还没有到。", field: "date") }
        try edit([LocalEdit(record: major.id, field: "resolution", change: .text(resolution)),
                  .write(major.id, "filedOn", date.description)], by: author)
    }

    /// The street's party working committee acknowledges the filing (on the office desk,
    /// written under the community's origin so the station learns of it).
    public func acknowledgeMajor(_ reference: String, on date: LocalDate, by author: String) throws {
        try requireStreet("备案签收", at: "“备案”页")
        let major = try requireMajor(reference)
        guard let filed = major.filedOn else { throw RuleViolation("重大事项 \(major.reference) 还没有备案，无从签收。") }
        guard major.acknowledgedOn == nil else {
            throw RuleViolation("重大事项 \(major.reference) 的备案已于 \(major.acknowledgedOn!) 由 \(major.acknowledgedBy ?? "") 签收。")
        }
        guard date >= filed else { throw RuleViolation("签收日期 \(date) 早于备案日期 \(filed)。", field: "date") }
        guard date <= today else { throw RuleViolation("签收日期 \(date) 还没有到。", field: "date") }
        try edit([.write(major.id, "acknowledgedOn", date.description), .write(major.id, "acknowledgedBy", author)], by: author)
    }

    /// 两公开: the resolution, once filed; then the implementation result.
    public func publishMajor(_ reference: String, resolution: Bool, on date: LocalDate, outcome: String?, by author: String) throws {
        try Self.checkText([(outcome, Self.text("实施结果", "outcome", 20_000))])
        let major = try requireMajor(reference)
        try major.checkPublication(resolution: resolution, on: date, outcome: outcome)
        guard date <= today else { throw RuleViolation("公开日期 \(date) 还没有到。", field: "date") }
        if resolution {
            try edit([.write(major.id, "resolutionPublishedOn", date.description)], by: author)
        } else {
            try edit([LocalEdit(record: major.id, field: "outcome", change: .text(outcome!)),
                      .write(major.id, "outcomePublishedOn", date.description)], by: author)
        }
    }

    func requireMajor(_ reference: String) throws -> MajorMatter {
        guard let major = try majorMatter(reference) else {
            throw RuleViolation("找不到重大事项“\(reference)”。请用 yishi major list 查看编号。")
        }
        return major
    }
}
