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
    ///
    /// Two stations' commands that disagree usually disagree in several fields at once (a
    /// mediation's outcome and date, and its topic's status): picking a side of one settles
    /// the others the same two commands left, with what the same command wrote, in the same
    /// edit — a topic never stays 调解化解 beside a mediation settled as 未化解. And a topic's
    /// status settled on one that goes on leaves no date of 办结 behind.
    public func resolveConflict(record: String, field: String, key: String, pick: Int?, value: String?,
                                by author: String) throws {
        let all = try conflicts()
        guard let conflict = all.first(where: { $0.record == record && $0.field == field && $0.key == key }) else {
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
        var edits: [LocalEdit]
        if let pick {
            guard conflict.sides.indices.contains(pick - 1) else {
                throw RuleViolation("只有 \(conflict.sides.count) 个版本，请在 1 到 \(conflict.sides.count) 之间选。", field: "pick")
            }
            let chosen = conflict.sides[pick - 1]
            edits = [try settling(conflict, with: chosen)]
            for sibling in Self.siblings(of: conflict, choosing: chosen, among: all) {
                edits.append(try settling(sibling.conflict, with: sibling.side))
            }
        } else {
            guard conflict.kind != .status else { throw RuleViolation("状态冲突只能选定其中一个版本。", field: "pick") }
            edits = [try settling(conflict, writing: value)]
        }
        for edit in edits where edit.field == "status" && Schema.type(ofRecord: edit.record)?.name == "topic" {
            if case .status(let chosen) = edit.change, Topic.isOpen(status: chosen.name),
               try RecordView(replica, edit.record).string("closedOn") != nil {
                edits.append(.write(edit.record, "closedOn", nil))
            }
        }
        try edit(edits, by: author)
    }

    /// The edit that settles `conflict` on `side`.
    private func settling(_ conflict: Conflict, with side: DottedValue) throws -> LocalEdit {
        if conflict.kind == .status {
            return LocalEdit(record: conflict.record, field: conflict.field,
                             change: .status(StatusValue(name: side.content ?? "", rank: side.rank, branch: side.branch)))
        }
        return try settling(conflict, writing: side.content)
    }

    /// The edit that settles `conflict` on `content`.
    private func settling(_ conflict: Conflict, writing content: String?) throws -> LocalEdit {
        let change: LocalChange
        switch conflict.kind {
        case .register: change = .write(content)
        case .entry: change = .entry(key: conflict.key, value: content)
        case .text:
            guard let id = SegmentID(Substring(conflict.key)) else { throw RuleViolation("冲突的句子编号不对。") }
            change = .sentence(id, content)
        case .status: throw RuleViolation("状态冲突只能选定其中一个版本。", field: "pick")
        case .set: throw RuleViolation("名单不会产生冲突。")
        }
        return LocalEdit(record: conflict.record, field: conflict.field, change: change)
    }

    /// The other conflicts the same commands made as `conflict`, each with the side the
    /// command of `chosen` wrote there.
    static func siblings(of conflict: Conflict, choosing chosen: DottedValue, among all: [Conflict]) -> [(conflict: Conflict, side: DottedValue)] {
        settledTogether(with: conflict, among: all).compactMap { other in
            other.sides.last { Command($0) == Command(chosen) }.map { (other, $0) }
        }
    }

    /// The conflicts that choosing a side of `conflict` settles with it (see `resolveConflict`):
    /// told beside it, so that nobody is surprised.
    public static func settledTogether(with conflict: Conflict, among all: [Conflict]) -> [Conflict] {
        let commands = Set(conflict.sides.map(Command.init))
        return all.filter { other in
            other != conflict && other.kind != .set && Set(other.sides.map(Command.init)).isSubset(of: commands)
        }
    }

    /// One station's one edit: the replica, author and wall time every op of it shares.
    private struct Command: Hashable {
        let replica: ReplicaID, author: String, wallTime: WallTime
        init(_ side: DottedValue) { (replica, author, wallTime) = (side.replica, side.author, side.wallTime) }
    }

    func conflictKindIsText(_ record: String, _ field: String) -> Bool {
        Schema.type(ofRecord: record)?.field(field)?.rule == .text
    }

    /// A text field as it is now, to be edited later against exactly this (see `TextBase`).
    public func textBase(record: String, field: String) throws -> TextBase {
        TextBase(try replica.fieldState(record: record, field: field), seen: try replica.clock())
    }
}

extension Conflict {
    /// `调解 HL3-01-2026-T001 的“调解结果”`: where it is, as people say it.
    public var place: String {
        let type = Schema.type(ofRecord: record)
        var place = "\(type?.label ?? "记录") \(referenceOf(record)) 的“\(type?.field(field)?.label ?? field)”"
        if let sentenceNumber { place += "第 \(sentenceNumber) 句" }
        return place
    }

    /// What one side says, as a person reads it — on the command line and on both desks: a
    /// status by its label (居民会议通过), never its name (`assembly-passed`). Nil for a
    /// side that cleared the value.
    public func words(of side: DottedValue) -> String? {
        guard let content = side.content else { return nil }
        guard kind == .status else { return content }
        return Schema.type(ofRecord: record)?.workflow?.label(of: content) ?? content
    }
}
