import YishiMerge
import YishiModel
import YishiStore

extension Deliberation {
    /// Adds a member to the community's deliberation committee for a term. What the
    /// addition goes past of the community's make-up (members per 方面, years per term) is
    /// kept and returned, for the person to be told.
    public func addMember(name: String, category: String, termStart: LocalDate, termEnd: LocalDate,
                          by author: String) throws -> (id: String, notices: [RuleNotice]) {
        try Self.checkText([(name, .name)])
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw RuleViolation("请写上委员的姓名。", field: "name") }
        try Self.check(category, in: rules.committeeCategories, what: "界别", field: "category")
        guard termStart <= termEnd else { throw RuleViolation("任期结束 \(termEnd) 早于开始 \(termStart)，请检查日期。", field: "termEnd") }
        let members = try members()
        if members.contains(where: { $0.name == name && $0.serves(on: termStart) }) {
            throw RuleViolation("\(name) 在 \(termStart) 已是委员，无需重复添加。", field: "name")
        }
        let notices = rules.committeeMakeup.notices(adding: name, category: category, from: termStart, to: termEnd, among: members)
        let id = try create("member/\(replica.community)-M", digits: 3, by: author) { id in
            [.write(id, "name", name), .write(id, "category", category),
             .write(id, "termStart", termStart.description), .write(id, "termEnd", termEnd.description)]
        }
        return (id, notices)
    }

    /// Ends a member's term early (resignation, moving away).
    public func endMember(_ reference: String, on date: LocalDate, by author: String) throws {
        let id = recordID("member", reference)
        guard let member = try members().first(where: { $0.id == id }) else {
            throw RuleViolation("找不到委员“\(reference)”。请用 yishi committee list 查看委员编号。")
        }
        if let start = member.termStart, date < start {
            throw RuleViolation("离任日期 \(date) 早于任期开始 \(start)。", field: "date")
        }
        try edit([.write(id, "termEnd", date.description)], by: author)
    }

    /// The committee on a date: the members whose term covers it.
    public func committee(on date: LocalDate) throws -> [Member] {
        try members().filter { $0.serves(on: date) }
    }

    /// A member in office on `date`, found by id, reference or name.
    func member(_ who: String, on date: LocalDate) throws -> Member {
        let serving = try committee(on: date)
        if let member = serving.first(where: { $0.id == who || $0.reference == who || $0.name == who }) { return member }
        let names = serving.map { "\($0.name)（\($0.reference)）" }.joined(separator: "、")
        throw RuleViolation("“\(who)”在 \(date) 不是协商委员会委员，不能表决。在任委员：\(names.isEmpty ? "（尚未登记委员）" : names)。", field: "member")
    }
}
