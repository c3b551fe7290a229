import YishiMerge
import YishiModel
import YishiStore

extension Deliberation {
    /// Every conflict waiting for a person, in record order.
    public func conflicts() throws -> [Conflict] { try replica.conflicts() }

    /// Resolves one conflict by picking side `pick` (1-based, as listed) or writing a new
    /// value: an ordinary edit whose context covers every side, so each station that
    /// syncs it sees the conflict settled. A side edited meanwhile elsewhere stays beside
    /// it as a new conflict; nothing is lost.
    public func resolveConflict(record: String, field: String, key: String, pick: Int?, value: String?,
                                by author: String) throws {
        guard let conflict = try conflicts().first(where: { $0.record == record && $0.field == field && $0.key == key }) else {
            throw RuleViolation("\(referenceOf(record)) 的这处冲突已经不在了（可能已被别人确认）。请刷新冲突列表。")
        }
        if let value { try TextInput("新的值", field: "value", limit: 100_000, conflictKindIsText(record, field) ? .text : .line).check(value) }
        guard (pick == nil) != (value == nil) else {
            throw RuleViolation("请选定一个版本，或写一个新的值（二者选一）。", field: "pick")
        }
        // A new value for a field a loop command owns would skip that command's checks: such
        // a conflict is settled by choosing one of the values the rules already let through.
        if value != nil, let owner = try fieldSpec(record, field).owner {
            throw RuleViolation("“\(try fieldSpec(record, field).label)”由 \(owner) 管理，冲突只能选定其中一个版本；要改成别的值，请用 \(owner)。",
                                field: "pick")
        }
        let content: String?
        var chosen: DottedValue?
        if let pick {
            guard conflict.sides.indices.contains(pick - 1) else {
                throw RuleViolation("只有 \(conflict.sides.count) 个版本，请在 1 到 \(conflict.sides.count) 之间选。", field: "pick")
            }
            chosen = conflict.sides[pick - 1]
            content = chosen?.content
        } else {
            content = value
        }
        let change: LocalChange
        switch conflict.kind {
        case .register: change = .write(content)
        case .entry: change = .entry(key: conflict.key, value: content)
        case .text:
            guard let id = SegmentID(Substring(conflict.key)) else { throw RuleViolation("冲突的句子编号不对。") }
            change = .sentence(id, content)
        case .status:
            guard let chosen else { throw RuleViolation("状态冲突只能选定其中一个版本。", field: "pick") }
            change = .status(StatusValue(name: chosen.content ?? "", rank: chosen.rank, branch: chosen.branch))
        case .set: throw RuleViolation("名单不会产生冲突。")
        }
        try edit([LocalEdit(record: record, field: field, change: change)], by: author)
    }

    func conflictKindIsText(_ record: String, _ field: String) -> Bool {
        Schema.type(ofRecord: record)?.field(field)?.rule == .text
    }

    /// A text field as it is now, to be edited later against exactly this (see `TextBase`).
    public func textBase(record: String, field: String) throws -> TextBase {
        TextBase(try replica.fieldState(record: record, field: field), seen: try replica.clock())
    }
}
