import ArgumentParser
import YishiDeliberation
import YishiMerge
import YishiStore

extension RecordCommand {
    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve",
            abstract: "确认冲突：选定其中一个版本（或写一个新的），其他站点同步后也会看到这个结果。")
        @OptionGroup var options: LoopOptions
        @Argument var record: String
        @Argument var field: String
        @Option(help: "每人一项的字段：是谁的那一项。") var key: String?
        @Option(help: "文字字段：第几句（见 yishi conflicts）。") var sentence: Int?
        @Option(help: "选第几个版本（见 yishi conflicts 中的 [编号]）。") var pick: Int?
        @Option(help: "不选现有版本，直接写一个新的值。") var value: String?

        func run() throws {
            let target = try RecordTarget(record: record, field: field, expecting: [.register, .entry, .status, .text])
            let loop = try options.open()
            let conflicts = try loop.conflicts().filter {
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
            try loop.resolveConflict(record: record, field: field, key: conflict.key, pick: pick, value: value,
                                     by: try options.author.name())
            let content = pick.flatMap { conflict.sides.indices.contains($0 - 1) ? conflict.sides[$0 - 1].content : nil } ?? value
            if options.output.json { Output.printJSON(["ok": true]) } else {
                print("已确认 \(record) 的“\(target.field.label)”为\(ConflictText.quoted(content))。")
            }
        }
    }
}
