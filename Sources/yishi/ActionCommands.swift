import ArgumentParser
import YishiDeliberation
import YishiModel

/// The four elements as options, shared by add and update.
struct ElementOptions: ParsableArguments {
    @Option(help: "谁来干。") var owner: String?
    @Option(help: "干到什么标准。") var standard: String?
    @Option(help: "什么时间干完，如 2026-12-31。") var deadline: String?
    @Option(help: "谁来监督。") var supervisor: String?

    var elements: ActionElements {
        ActionElements(owner: owner, standard: standard, deadline: deadline, supervisor: supervisor)
    }
}

struct ActionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action", abstract: "落实事项：谁来干、干到什么标准、什么时间干完、谁来监督。",
        subcommands: [Add.self, Update.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "为议题添加一项落实事项。")
        @OptionGroup var options: LoopOptions
        @Option var topic: String
        @Option(help: "议定它的会议编号。") var meeting: String?
        @OptionGroup var elements: ElementOptions

        func run() throws {
            let id = try options.open().addAction(topic: topic, meeting: meeting, elements: elements.elements, by: try options.author.name())
            let reference = String(id.dropFirst("action/".count))
            if options.output.json { Output.printJSON(["action": reference]) } else {
                let missing = elements.elements.missing
                print("已添加落实事项 \(reference)。" + (missing.isEmpty ? "" : "尚缺：\(missing.joined(separator: "、"))（纪要定稿前须补齐）。"))
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update", abstract: "补充四要素、更新进度或记一条进展。")
        @OptionGroup var options: LoopOptions
        @Argument var action: String
        @OptionGroup var elements: ElementOptions
        @Option(help: "状态：已分派、办理中、已完成、已验收。") var status: String?
        @Option(help: "一条进展（自动记上日期）。") var note: String?

        func run() throws {
            try options.open().updateAction(action, elements: elements.elements, status: status, note: note, by: try options.author.name())
            Output.done(options.output, "落实事项 \(action) 已更新。")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出落实事项，超期的会标出。")
        @OptionGroup var options: LoopOptions
        @Flag(help: "只列超期的。") var overdue = false

        func run() throws {
            let loop = try options.open()
            var actions = try loop.actions()
            if overdue { actions = actions.filter { Deadline.isOverdue($0.deadline, done: $0.isDone, today: loop.today) } }
            if options.output.json {
                Output.printJSON(actions.map { ["action": $0.reference, "owner": $0.elements.owner ?? "", "deadline": $0.elements.deadline ?? "",
                                                "status": $0.status ?? ""] })
                return
            }
            if actions.isEmpty { print(overdue ? "没有超期的落实事项。" : "还没有落实事项。") }
            for action in actions {
                let late = Deadline.isOverdue(action.deadline, done: action.isDone, today: loop.today)
                    ? "  ⚠ 已超期 \(Deadline.daysOverdue(action.deadline!, today: loop.today)) 天" : ""
                print("\(action.reference)  \(action.elements.owner ?? "？")  \(action.elements.standard ?? "？")  "
                      + "时限 \(action.elements.deadline ?? "？")  [\(Workflow.action.label(of: action.status ?? ""))]\(late)")
            }
        }
    }
}

struct EscalationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalation", abstract: "上报件：社区吹哨、部门报到。", subcommands: [Add.self, Respond.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "把社区解决不了的议题上报街道或区。")
        @OptionGroup var options: LoopOptions
        @Option var topic: String
        @Option(help: "街道或区。") var level: String
        @Option(help: "承办部门。") var department: String
        @Option var reason: String
        @Option(help: "办理时限。") var deadline: String?

        func run() throws {
            let id = try options.open().escalate(
                topic, level: level, department: department, reason: reason,
                deadline: try deadline.map { try Parse.date($0, "办理时限") }, by: try options.author.name())
            let reference = String(id.dropFirst("escalation/".count))
            if options.output.json { Output.printJSON(["escalation": reference]) } else { print("已上报 \(level)\(department)，上报件编号 \(reference)。") }
        }
    }

    struct Respond: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "respond", abstract: "记录部门报到及答复（街道的事：在中心的数据目录上运行，站点上会被拒绝）。")
        @OptionGroup var options: LoopOptions
        @Argument var escalation: String
        @Option(name: .customLong("reported-on")) var reportedOn: String
        @Option var response: String

        func run() throws {
            try options.open().respond(escalation, reportedOn: try Parse.date(reportedOn, "报到日期"), response: response,
                                       by: try options.author.name())
            Output.done(options.output, "已记录上报件 \(escalation) 的部门答复。")
        }
    }
}

struct EvaluationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation", abstract: "群众评事：居民代表评价落实结果；不满意的整改后再次验收。",
        subcommands: [Add.self, Close.self, Rectify.self])

    struct Rectify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rectify", abstract: "记录整改：谁来干、干到什么标准、什么时间干完、谁来监督（整改完成后才能再次验收）。")
        @OptionGroup var options: LoopOptions
        @Option var topic: String
        @OptionGroup var elements: ElementOptions

        func run() throws {
            let id = try options.open().recordRectification(topic, elements: elements.elements, by: try options.author.name())
            let reference = String(id.dropFirst("action/".count))
            if options.output.json { Output.printJSON(["action": reference]) } else {
                print("已记录整改 \(reference)。整改完成后请用 yishi action update \(reference) --status 已完成，再进行再次验收。")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "记录一位居民代表的评价：满意、基本满意或不满意。")
        @OptionGroup var options: LoopOptions
        @Option var topic: String
        @Option var evaluator: String
        @Option var rating: String
        @Option var comment: String?

        func run() throws {
            try options.open().evaluate(topic, evaluator: evaluator, rating: rating, comment: comment, by: try options.author.name())
            Output.done(options.output, "已记录 \(evaluator) 对议题 \(topic) 的评价：\(rating)。")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "结束本轮评议：达标则办结，不达标则整改并再次验收。")
        @OptionGroup var options: LoopOptions
        @Option var topic: String

        func run() throws {
            let outcome = try options.open().closeEvaluation(topic, by: try options.author.name())
            switch outcome {
            case .accepted(let assessment):
                if options.output.json { Output.printJSON(["outcome": "closed", "rate": assessment.rateText]) } else {
                    print("议题 \(topic) 通过验收，已办结。\(assessment.summary)。")
                }
            case .rectification(let assessment, let next):
                if options.output.json { Output.printJSON(["outcome": "rectification", "rate": assessment.rateText, "nextRound": String(next)]) } else {
                    print("议题 \(topic) 满意率未达标，进入整改；整改后进行第 \(next) 轮评议（再次验收）。\(assessment.summary)。")
                }
            }
        }
    }
}
