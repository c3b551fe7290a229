import ArgumentParser
import Foundation
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore

/// Field-level edits for what the loop's commands do not cover (a title, a place, the
/// tags), and for an administrator's repair. Every one goes through the same rules as the
/// loop (`Deliberation.editRecord`): only existing records, and a field a loop command
/// owns only with `--repair "原因"`, which is kept in the record's history.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "查看和修改记录的各个字段（议题、会议、落实事项、评议）。",
        discussion: "只能修改已有的记录。由议事命令管理的字段（表决、状态、轮次、结果、评议、积分等）只能用相应命令修改；管理员确需人工修正时加 --repair \"原因\"，原因会记入修改记录。",
        subcommands: [
            Show.self, List.self, SetValue.self, Add.self, Remove.self, Write.self, Entry.self, Status.self,
            Resolve.self,
        ])

    /// Why an administrator changes a field a loop command owns.
    struct RepairOptions: ParsableArguments {
        @Option(name: .customLong("repair"), help: "人工修正的原因（只有修改由议事命令管理的字段时才需要）。")
        var reason: String?
    }

    static func commit(_ record: String, _ field: String, _ change: LocalChange, repair: RepairOptions, _ options: LoopOptions,
                       done: String) throws {
        let ops = try options.open().editRecord(record, field: field, change: change, repairReason: repair.reason,
                                                by: try options.author.name())
        if options.output.json {
            Output.printJSON(["ops": ops.map { $0.dot.description }])
        } else if ops.isEmpty {
            print("内容没有变化，未做修改。")
        } else {
            print(done)
        }
    }

    struct SetValue: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "设定一个值（如标题、地点、主持人）。")
        @OptionGroup var options: LoopOptions
        @OptionGroup var repair: RepairOptions
        @Argument(help: "记录编号，如 topic/HL3-01-2026-0017。") var record: String
        @Argument(help: "字段，如 title。") var field: String
        @Argument(help: "新的值。") var value: String?
        @Flag(help: "清空这个值。") var clear = false

        func run() throws {
            let target = try RecordTarget(record: record, field: field, expecting: [.register])
            guard clear != (value != nil) else { throw CommandError("请给出新的值，或用 --clear 清空（二者选一）。") }
            try RecordCommand.commit(record, field, .write(value), repair: repair, options,
                done: "已记录：\(target.type.label) \(record) 的“\(target.field.label)”\(value.map { "为“\($0)”" } ?? "已清空")。")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "向名单加入一项（如参加人员、标签）。")
        @OptionGroup var options: LoopOptions
        @OptionGroup var repair: RepairOptions
        @Argument var record: String
        @Argument var field: String
        @Argument var element: String

        func run() throws {
            let target = try RecordTarget(record: record, field: field, expecting: [.set])
            try RecordCommand.commit(record, field, .add(element), repair: repair, options,
                done: "已把“\(element)”加入 \(record) 的“\(target.field.label)”。")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "从名单移除一项。")
        @OptionGroup var options: LoopOptions
        @OptionGroup var repair: RepairOptions
        @Argument var record: String
        @Argument var field: String
        @Argument var element: String

        func run() throws {
            let target = try RecordTarget(record: record, field: field, expecting: [.set])
            let current = try options.data.open().fieldState(record: record, field: field)?.elements ?? []
            guard current.contains(element) else {
                throw CommandError("\(record) 的“\(target.field.label)”中没有“\(element)”，无需移除。")
            }
            try RecordCommand.commit(record, field, .remove(element), repair: repair, options,
                done: "已把“\(element)”从 \(record) 的“\(target.field.label)”中移除。")
        }
    }

    struct Entry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "entry", abstract: "人工修正某人的一项（如委员的表决、居民代表的评价）；平时请用 meeting vote、evaluation add。")
        @OptionGroup var options: LoopOptions
        @OptionGroup var repair: RepairOptions
        @Argument var record: String
        @Argument var field: String
        @Argument(help: "这一项属于谁，如委员编号。") var key: String
        @Argument(help: "内容，如 同意、不同意、弃权。") var value: String?
        @Flag(help: "撤回这一项。") var withdraw = false

        func run() throws {
            let target = try RecordTarget(record: record, field: field, expecting: [.entry])
            guard withdraw != (value != nil) else { throw CommandError("请给出内容，或用 --withdraw 撤回（二者选一）。") }
            try RecordCommand.commit(record, field, .entry(key: key, value: value), repair: repair, options,
                done: "已记录 \(key) 在 \(record) 的“\(target.field.label)”：\(value ?? "已撤回")。")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "人工修正记录的状态（须加 --repair 说明原因）；平时状态由议事命令推进。")
        @OptionGroup var options: LoopOptions
        @OptionGroup var repair: RepairOptions
        @Argument var record: String
        @Argument(help: "新状态，英文名或中文名均可，如 consensus 或 已达成共识。") var status: String

        func run() throws {
            let target = try RecordTarget(record: record, field: "status", expecting: [.status])
            guard let workflow = target.type.workflow, let step = workflow.status(status) else {
                let names = target.type.workflow?.statuses.map { "\($0.name)（\($0.label)）" }.joined(separator: "、") ?? ""
                throw CommandError("\(target.type.label)没有“\(status)”这个状态；可用的有：\(names)。")
            }
            let value = StatusValue(name: step.name, rank: step.rank, branch: step.branch)
            try RecordCommand.commit(record, "status", .status(value), repair: repair, options,
                done: "\(record) 的状态已改为“\(step.label)”。")
        }
    }
}
