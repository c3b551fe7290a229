import ArgumentParser
import Foundation
import YishiDeliberation
import YishiMerge
import YishiModel

struct TopicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topic", abstract: "议题：居民说事、下沉听事。",
        subcommands: [Raise.self, Classify.self, AskStreet.self, Revise.self, Idea.self, Reopen.self, Invalid.self, List.self, Show.self,
                      Search.self, History.self])

    struct Invalid: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "invalid", abstract: "把不是议题的来件（广告、重复、无关）标为无效：保留记录，不上公示栏，不计入统计。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "议题编号。") var topic: String
        @Option(help: "原因，如 广告、与 HL3-01-2026-0003 重复。") var reason: String

        func run() throws {
            try options.open().markInvalid(topic, reason: reason, by: try options.author.name())
            Output.done(options.output, "议题 \(topic) 已标为无效（\(reason)）。")
        }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reopen", abstract: "搁置的议题时机成熟后重新协商（写明原因）。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "议题编号。") var topic: String
        @Option(help: "重新协商的原因。") var reason: String

        func run() throws {
            try options.open().reopen(topic, reason: reason, by: try options.author.name())
            Output.done(options.output, "议题 \(topic) 已重新启动协商，可以安排下一轮会议。")
        }
    }

    struct Raise: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "raise", abstract: "登记居民反映的事项，给出议题编号。")
        @OptionGroup var options: LoopOptions
        @Option(help: "标题：一句话说明是什么事。") var title: String
        @Option(help: "渠道：\(Vocabulary.channels.joined(separator: "、"))。") var channel: String
        @Option(help: "具体内容（也可用 --file 读文件）。") var description: String?
        @Option(help: "从文件读入具体内容。") var file: String?
        @Option(name: .customLong("proposer"), help: "提议人姓名。") var proposerName: String?
        @Option(help: "提议人住址（楼栋单元）。") var address: String?
        @Option(help: "提议人电话（不会出现在公示上）。") var phone: String?
        @Flag(help: "提议人要求匿名。") var anonymous = false
        @Option(help: "类别（十类之一）。") var category: String?
        @Option(help: "登记日期，默认今天。") var date: String?

        func run() throws {
            let loop = try options.open()
            let text = try file.map(RecordCommand.Write.read) ?? description ?? ""
            let draft = TopicDraft(
                title: title, description: text, channel: channel,
                proposer: Proposer(name: proposerName, address: address, phone: phone, anonymous: anonymous),
                category: category, raisedOn: try date.map { try Parse.date($0, "登记日期") })
            let id = try loop.raise(draft, by: try options.author.name())
            let reference = String(id.dropFirst("topic/".count))
            if options.output.json { Output.printJSON(["topic": reference]) } else { print("已登记议题 \(reference)：\(title)") }
        }
    }

    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "classify", abstract: "分类：即办、待办或上报，以及十类之一。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "议题编号。") var topic: String
        @Option(name: .customLong("as"), help: "即办、待办或上报。") var handling: String
        @Option(help: "类别（十类之一）。") var category: String?
        @Flag(help: "涉及政府公共服务：安排协商会议前须先征求街道意见。") var publicService = false
        @Flag(help: "是纠纷（类别不是邻里及家庭纠纷时也可标为纠纷），可以调解。") var dispute = false

        func run() throws {
            try options.open().classify(topic, handling: handling, category: category, publicService: publicService ? true : nil,
                                        dispute: dispute ? true : nil, by: try options.author.name())
            Output.done(options.output, "议题 \(topic) 已分类为“\(handling)件”。")
        }
    }

    struct Revise: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "修改议题的标题或内容。")
        @OptionGroup var options: LoopOptions
        @Argument var topic: String
        @Option var title: String?
        @Option var description: String?
        @Option(help: "从文件读入新的内容。") var file: String?

        func run() throws {
            let text = try file.map(RecordCommand.Write.read) ?? description
            try options.open().revise(topic, title: title, description: text, by: try options.author.name())
            Output.done(options.output, "议题 \(topic) 已修改。")
        }
    }

    struct Idea: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "idea", abstract: "把居民的建议评为金点子或好法子（记积分）。")
        @OptionGroup var options: LoopOptions
        @Argument var topic: String
        @Option(name: .customLong("as")) var mark: String = "金点子"

        func run() throws {
            try options.open().markIdea(topic, as: mark, by: try options.author.name())
            Output.done(options.output, "议题 \(topic) 的建议已评为\(mark)。")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出议题。")
        @OptionGroup var options: LoopOptions
        @Option(help: "只列某个状态，如 协商中。") var status: String?

        func run() throws {
            var topics = try options.open().topics()
            if let status {
                let name = Workflow.topic.status(status)?.name ?? status
                topics = topics.filter { $0.status == name }
            }
            TopicText.printList(topics, options.output)
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "search", abstract: "全文搜索议题（如 垃圾分类）。")
        @OptionGroup var options: LoopOptions
        @Argument var words: String

        func run() throws {
            let topics = try options.open().search(words)
            if topics.isEmpty && !options.output.json { print("没有找到含“\(words)”的议题。"); return }
            TopicText.printList(topics, options.output)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示一个议题的全部情况。")
        @OptionGroup var options: LoopOptions
        @Argument var topic: String

        func run() throws {
            let loop = try options.open()
            guard let topic = try loop.topic(topic) else { throw CommandError("找不到议题“\(self.topic)”。请用 yishi topic list 查看编号。") }
            if options.output.json { Output.printJSON(TopicJSON(topic)); return }
            print(try TopicText.describe(topic, loop))
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "议题的全部修改记录：谁、何时、在哪个站点改了什么。")
        @OptionGroup var options: LoopOptions
        @Argument var topic: String

        func run() throws {
            let loop = try options.open()
            guard let topic = try loop.topic(topic) else { throw CommandError("找不到议题“\(self.topic)”。") }
            let ops = try loop.replica.history(ofRecord: topic.id)
            if options.output.json {
                Output.printJSON(ops.map { HistoryJSON(op: $0) })
                return
            }
            print("议题 \(topic.reference) 的修改记录（共 \(ops.count) 条）：")
            for op in ops { print("  " + HistoryText.line(op)) }
        }
    }
}

extension Output {
    static func done(_ output: OutputOptions, _ message: String) {
        if output.json { printJSON(["ok": true]) } else { print(message) }
    }
}
