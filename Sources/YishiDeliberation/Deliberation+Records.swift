import YishiMerge
import YishiModel
import YishiStore

extension Deliberation {
    /// An edit to one field of an existing record, made outside the loop's commands
    /// (`yishi record …`). It holds the same rules as every other write path:
    /// - only a record that exists is edited: a new one is made only by the command that
    ///   allocates its reference, so no station takes another's numbers;
    /// - a field a loop command owns (ballots, statuses, rounds, outcomes, results,
    ///   points…) is written only through that command, with its checks — unless an
    ///   administrator repairs it by hand and says why: the reason is kept on the record
    ///   (`repairs`), in its history and wherever the record is shown.
    @discardableResult
    public func editRecord(_ record: String, field: String, change: LocalChange, repairReason: String?, by author: String) throws -> [Op] {
        let spec = try fieldSpec(record, field)
        let input = TextInput(spec.label, field: field, limit: spec.rule == .text ? 100_000 : 500, spec.rule == .text ? .text : .line)
        switch change {
        case .write(let value?), .add(let value), .remove(let value), .entry(_, let value?), .text(let value), .textSince(_, let value):
            try input.check(value)
        default: break
        }
        guard try !replica.fields(ofRecord: record).isEmpty else {
            throw RuleViolation("记录“\(record)”不存在。新记录只能由建立它的命令登记（如 yishi topic raise、yishi meeting schedule），"
                + "编号由本站按顺序分配，不会与其他站点冲突。")
        }
        var edits = [LocalEdit(record: record, field: field, change: change)]
        if let owner = spec.owner {
            guard let reason = repairReason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
                throw RuleViolation("“\(spec.label)”由 \(owner) 管理，写入时要检查议事规则，不能直接修改。", remedy: Remedy(
                commandLine: "确需人工修正时，请加 --repair \"原因\"，原因会记入这条记录的修改记录。",
                desk: "确需人工修正时，请系统管理员在站点上用 yishi record 命令加 --repair \"原因\" 修正，原因会记入这条记录的修改记录。"))
            }
            edits.append(.add(record, "repairs", "\(now()) \(author) 人工修正“\(spec.label)”：\(reason)"))
        } else if field == "proposerPhone", case .write(let phone?) = change, !Redaction.isPhoneNumber(phone) {
            throw RuleViolation("电话号码“\(phone)”格式不对：手机号 11 位，座机如 0451-86123456。")
        }
        return try edit(edits, by: author)
    }

    /// The schema's field of a record id `type/reference`, or a message naming what is wrong.
    public func fieldSpec(_ record: String, _ field: String) throws -> FieldSpec {
        try Schema.field(ofRecord: record, named: field).field
    }
}
