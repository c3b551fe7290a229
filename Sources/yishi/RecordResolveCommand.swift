import ArgumentParser
import YishiMerge
import YishiStore

extension RecordCommand {
    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve",
            abstract: "确认冲突：选定其中一个版本（或写一个新的），其他站点同步后也会看到这个结果。")
        @OptionGroup var options: EditOptions
        @Argument var record: String
        @Argument var field: String
        @Option(help: "每人一项的字段：是谁的那一项。") var key: String?
        @Option(help: "文字字段：第几句（见 yishi conflicts）。") var sentence: Int?
        @Option(help: "选第几个版本（见 yishi conflicts 中的 [编号]）。") var pick: Int?
        @Option(help: "不选现有版本，直接写一个新的值。") var value: String?

        func run() throws {
            let target = try RecordTarget(record: record, field: field, expecting: [.register, .entry, .status, .text])
            guard (pick == nil) != (value == nil) else { throw CommandError("请用 --pick 选一个版本，或用 --value 写一个新的值（二者选一）。") }
            let replica = try options.data.open()
            let conflicts = try replica.conflicts().filter {
                $0.record == record && $0.field == field
                    && (key == nil || $0.key == key) && (sentence == nil || $0.sentenceNumber == sentence)
            }
            guard let conflict = conflicts.first else {
                throw CommandError("\(record) 的“\(target.field.label)”没有这样的冲突。请用 yishi conflicts 查看现有冲突。")
            }
            guard conflicts.count == 1 else {
                let hint = conflict.kind == .text ? "--sentence 句号" : "--key 是谁的一项"
                throw CommandError("这个字段有 \(conflicts.count) 处冲突，请用 \(hint) 指明要确认哪一处。")
            }
            let chosen: DottedValue?
            if let pick {
                guard conflict.sides.indices.contains(pick - 1) else {
                    throw CommandError("只有 \(conflict.sides.count) 个版本，请在 1 到 \(conflict.sides.count) 之间选。")
                }
                chosen = conflict.sides[pick - 1]
            } else {
                chosen = nil
            }
            let content = chosen?.content ?? value
            let change: LocalChange
            switch conflict.kind {
            case .register: change = .write(content)
            case .entry: change = .entry(key: conflict.key, value: content)
            case .text: change = .sentence(SegmentID(Substring(conflict.key))!, content)
            case .status:
                guard let chosen else { throw CommandError("状态冲突请用 --pick 选一个版本。") }
                change = .status(StatusValue(name: chosen.content ?? "", rank: chosen.rank, branch: chosen.branch))
            case .set: throw CommandError("名单不会产生冲突。")
            }
            try RecordCommand.commit(
                LocalEdit(record: record, field: field, change: change), options,
                done: "已确认 \(record) 的“\(target.field.label)”为\(ConflictText.quoted(content))。")
        }
    }
}
