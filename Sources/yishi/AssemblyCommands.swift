import ArgumentParser
import Foundation
import YishiDeliberation
import YishiModel

/// 居民会议: the decision of the residents' assembly on what the 议事厅 sent it.
struct AssemblyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assembly", abstract: "居民会议：记录提交居民会议的议题的决定（出席须过半数，决定须经出席的过半数同意）。",
        subcommands: [Record.self, List.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record", abstract: "记录一次居民会议：应到、实到和表决票数。不足法定人数时照样记录，议题等下一次会议。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "议题编号。") var topic: String
        @Option(help: "会议日期。") var date: String
        @Option(help: "参加范围：\(Vocabulary.assemblyBases.joined(separator: "、"))。") var convened: String
        // Unconditional: "--entitled -5" is a count to refuse with the rule's message.
        @Option(parsing: .unconditional, help: "应到人数（户数或代表数）。") var entitled: Int
        @Option(parsing: .unconditional, help: "实到人数。") var attended: Int
        @Option(name: .customLong("for"), parsing: .unconditional, help: "赞成票。") var inFavour: Int
        @Option(parsing: .unconditional, help: "反对票。") var against: Int = 0
        @Option(parsing: .unconditional, help: "弃权票。") var abstain: Int = 0

        func run() throws {
            let draft = AssemblyDraft(date: try Parse.date(date, "会议日期"), convenedAs: convened, entitled: entitled, attended: attended,
                                      inFavour: inFavour, against: against, abstained: abstain)
            let (id, vote) = try options.open().recordAssembly(topic, draft, by: try options.author.name())
            if options.output.json {
                Output.printJSON(["assembly": referenceOf(id), "outcome": vote.outcome.rawValue, "summary": vote.summary])
                return
            }
            print("已记录居民会议 \(referenceOf(id))：\(vote.summary)。")
            switch vote.outcome {
            case .noQuorum: print("出席不足，这次会议不能作出决定；议题 \(topic) 仍待居民会议决定。")
            case .passed: print("议题 \(topic) 经居民会议通过，可以添加落实事项。")
            case .rejected: print("议题 \(topic) 经居民会议否决，已结束。")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出居民会议。")
        @OptionGroup var options: LoopOptions

        func run() throws {
            let assemblies = try options.open().assemblies().sorted { ($0.date?.description ?? "") < ($1.date?.description ?? "") }
            if options.output.json {
                Output.printJSON(assemblies.map { ["assembly": $0.reference, "topic": referenceOf($0.topic ?? ""),
                                                   "date": $0.date?.description ?? "", "result": $0.result ?? ""] })
                return
            }
            if assemblies.isEmpty { print("还没有记录居民会议。") }
            for assembly in assemblies {
                print("\(assembly.reference)  \(assembly.date?.description ?? "")  议题 \(referenceOf(assembly.topic ?? ""))  \(assembly.convenedAs ?? "")  \(assembly.result ?? "")")
            }
        }
    }
}

/// 五议一备两公开: a major matter's five steps, its filing and its two publications.
struct MajorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "major", abstract: "重大事项：五议一备两公开（党组织提议、班子商议、单位联议、会议审议、集体决议；报街道备案；决议和实施结果两公开）。",
        subcommands: [Start.self, Step.self, File.self, Acknowledge.self, Publish.self, List.self, Show.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "社区党组织把议题列为重大事项。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "议题编号。") var topic: String

        func run() throws {
            let id = try options.open().startMajor(topic, by: try options.author.name())
            if options.output.json { Output.printJSON(["major": referenceOf(id)]); return }
            print("议题 \(topic) 已列为重大事项 \(referenceOf(id))。下一步：yishi major step \(referenceOf(id)) --step 党组织提议 --date … --people …")
        }
    }

    struct Step: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "step", abstract: "记录五议中的一步（须依次进行）。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "重大事项编号，如 HL3-01-2026-Z001。") var major: String
        @Option(help: "哪一步：\(Vocabulary.majorSteps.joined(separator: "、"))。") var step: String
        @Option(help: "日期。") var date: String
        @Option(help: "参加人员或单位。") var people: String
        @Option(help: "提议、商议或决议的内容（可不写）。") var note: String?

        func run() throws {
            try options.open().recordMajorStep(major, step: step, date: try Parse.date(date, "日期"), people: people, note: note,
                                               by: try options.author.name())
            Output.done(options.output, "已记录重大事项 \(major) 的“\(step)”。")
        }
    }

    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "file", abstract: "书面决议报街道党工委备案（五议完成后）。")
        @OptionGroup var options: LoopOptions
        @Argument var major: String
        @Option(help: "备案日期，默认今天。") var on: String?
        @Option(help: "决议全文（也可用 --file 读文件）。") var resolution: String?
        @Option(name: .customLong("file"), help: "从文件读入决议。") var resolutionFile: String?

        func run() throws {
            let loop = try options.open()
            guard let text = try resolutionFile.map(RecordCommand.Write.read) ?? resolution else {
                throw CommandError("请用 --resolution 或 --file 给出书面决议。")
            }
            try loop.fileMajor(major, on: try on.map { try Parse.date($0, "备案日期") } ?? loop.today, resolution: text,
                               by: try options.author.name())
            Output.done(options.output, "重大事项 \(major) 的决议已报街道党工委备案；街道签收后可公开决议：yishi major publish \(major) --resolution")
        }
    }

    struct Acknowledge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "acknowledge", abstract: "街道党工委签收备案（街道的事：在街道工作台，或在中心的数据目录上运行；站点上会被拒绝）。")
        @OptionGroup var options: LoopOptions
        @Argument var major: String
        @Option(help: "签收日期，默认今天。") var on: String?

        func run() throws {
            let loop = try options.open()
            try loop.acknowledgeMajor(major, on: try on.map { try Parse.date($0, "签收日期") } ?? loop.today, by: try options.author.name())
            Output.done(options.output, "已签收重大事项 \(major) 的备案。")
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "publish", abstract: "两公开：先公开决议（备案后），再公开实施结果。")
        @OptionGroup var options: LoopOptions
        @Argument var major: String
        @Flag(help: "公开决议。") var resolution = false
        @Option(help: "公开实施结果，写明结果。") var outcome: String?
        @Option(help: "公开日期，默认今天。") var on: String?

        func run() throws {
            guard resolution != (outcome != nil) else { throw CommandError("请二选一：--resolution 公开决议，或 --outcome \"实施结果\" 公开结果。") }
            let loop = try options.open()
            try loop.publishMajor(major, resolution: resolution, on: try on.map { try Parse.date($0, "公开日期") } ?? loop.today,
                                  outcome: outcome, by: try options.author.name())
            let kind = resolution ? "resolution" : "outcome"
            Output.done(options.output, "已公开重大事项 \(major) 的\(resolution ? "决议" : "实施结果")。打印公示：yishi notice major \(major) --\(kind)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出重大事项和各自的进度。")
        @OptionGroup var options: LoopOptions

        func run() throws {
            let majors = try options.open().majorMatters()
            if options.output.json {
                Output.printJSON(majors.map { ["major": $0.reference, "topic": referenceOf($0.topic ?? ""), "stage": $0.stage] })
                return
            }
            if majors.isEmpty { print("还没有重大事项。") }
            for major in majors {
                print("\(major.reference)  议题 \(referenceOf(major.topic ?? ""))  \(major.stage)")
                for step in MajorMatter.steps {
                    if let date = major.stepDates[step] { print("  \(step)  \(date)  \(major.stepPeople[step] ?? "")") }
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示一件重大事项的全部经过：五议、备案和签收、两公开。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "重大事项编号，如 HL3-01-2026-Z001。") var major: String

        func run() throws {
            let loop = try options.open()
            guard let major = try loop.majorMatter(major) else {
                throw CommandError("找不到重大事项“\(major)”。请用 yishi major list 查看编号。")
            }
            let topic = try major.topic.flatMap { try loop.topic($0) }
            if options.output.json {
                Output.printJSON(MajorJSON(major: major.reference, topic: topic?.reference ?? "", stage: major.stage,
                                           steps: MajorMatter.steps.compactMap { step in major.stepDates[step].map {
                                               MajorJSON.Step(step: step, date: $0.description, people: major.stepPeople[step] ?? "",
                                                              note: major.stepNotes[step] ?? "") } },
                                           filedOn: major.filedOn?.description, acknowledgedOn: major.acknowledgedOn?.description,
                                           acknowledgedBy: major.acknowledgedBy, resolution: major.resolution,
                                           resolutionPublishedOn: major.resolutionPublishedOn?.description, outcome: major.outcome,
                                           outcomePublishedOn: major.outcomePublishedOn?.description))
                return
            }
            print("重大事项 \(major.reference)：\(topic.map { "\($0.reference) \($0.title)" } ?? "（议题不在本站）")")
            print("  进度：\(major.stage)")
            print("  五议：")
            for step in MajorMatter.steps {
                guard let date = major.stepDates[step] else { print("    \(step)  （尚未进行）"); continue }
                print("    \(step)  \(date)  参加：\(major.stepPeople[step] ?? "")" + (major.stepNotes[step].map { "  内容：\($0)" } ?? ""))
            }
            print("  备案：" + (major.filedOn.map { "\($0) 报街道党工委备案" } ?? "尚未备案"))
            if major.filedOn != nil {
                print("  签收：" + (major.acknowledgedOn.map { "\($0) 由 \(major.acknowledgedBy ?? "街道") 签收" } ?? "街道尚未签收（签收后才能公开决议）"))
            }
            if !major.resolution.isEmpty { print("  决议：\(major.resolution)") }
            print("  决议公开：" + (major.resolutionPublishedOn?.description ?? "尚未公开"))
            if !major.outcome.isEmpty { print("  实施结果：\(major.outcome)") }
            print("  实施结果公开：" + (major.outcomePublishedOn?.description ?? "尚未公开"))
        }

        struct MajorJSON: Encodable {
            struct Step: Encodable { var step, date, people, note: String }
            var major, topic, stage: String
            var steps: [Step]
            var filedOn, acknowledgedOn, acknowledgedBy: String?
            var resolution: String
            var resolutionPublishedOn: String?
            var outcome: String
            var outcomePublishedOn: String?
        }
    }
}

/// 创新解事: disputes mediated instead of deliberated.
struct MediationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mediation", abstract: "纠纷调解：调解人和参与者、每次调解的经过、结果（化解、未化解、转交）。",
        subcommands: [Start.self, Session.self, Close.self, List.self, Show.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "对一个纠纷议题开始调解。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "议题编号。") var topic: String
        @Option(help: "调解人。") var mediator: String
        @Option(name: .customLong("participant"), help: "参与调解的人，写成 角色：姓名（律师、法官、人民调解员等，可多个）。") var participants: [String] = []

        func run() throws {
            let id = try options.open().startMediation(topic, mediator: mediator, participants: participants, by: try options.author.name())
            if options.output.json { Output.printJSON(["mediation": referenceOf(id)]); return }
            print("已开始调解 \(referenceOf(id))（议题 \(topic)，调解人 \(mediator)）。")
        }
    }

    struct Session: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "session", abstract: "记录一次调解的经过。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "调解编号，如 HL3-01-2026-T001。") var mediation: String
        @Option(help: "日期，默认今天。") var date: String?
        @Option(help: "这次调解的情况。") var note: String

        func run() throws {
            let loop = try options.open()
            try loop.recordMediationSession(mediation, on: try date.map { try Parse.date($0, "日期") } ?? loop.today, summary: note,
                                            by: try options.author.name())
            Output.done(options.output, "已记录调解 \(mediation) 的一次经过。")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "记录调解结果：化解（写明协议）、未化解，或转交（写明给谁）。")
        @OptionGroup var options: LoopOptions
        @Argument var mediation: String
        @Option(help: "\(Vocabulary.mediationOutcomes.joined(separator: "、"))。") var outcome: String
        @Option(help: "化解时：调解协议的内容。") var agreement: String?
        @Option(name: .customLong("to"), help: "转交时：转交给谁。") var transferredTo: String?
        @Option(help: "日期，默认今天。") var on: String?

        func run() throws {
            let loop = try options.open()
            try loop.closeMediation(mediation, outcome: outcome, on: try on.map { try Parse.date($0, "日期") } ?? loop.today,
                                    agreement: agreement, transferredTo: transferredTo, by: try options.author.name())
            let next = switch outcome {
            case "化解": "请当事双方评价调解结果：yishi evaluation add --topic 议题编号 …"
            case "转交": "议题已转交，在本社区结束。"
            default: "议题可以另行安排协商或上报。"
            }
            Output.done(options.output, "已记录调解 \(mediation) 的结果：\(outcome)。\(next)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出调解和化解率。")
        @OptionGroup var options: LoopOptions

        func run() throws {
            let loop = try options.open()
            let mediations = try loop.mediations()
            if options.output.json {
                Output.printJSON(mediations.map { ["mediation": $0.reference, "topic": referenceOf($0.topic ?? ""),
                                                   "mediator": $0.mediator ?? "", "outcome": $0.outcome ?? ""] })
                return
            }
            if mediations.isEmpty { print("还没有调解。") }
            for mediation in mediations {
                print("\(mediation.reference)  议题 \(referenceOf(mediation.topic ?? ""))  调解人 \(mediation.mediator ?? "")  \(mediation.stateText)")
            }
            let figures = try loop.statistics(from: nil, to: nil).disputes
            print("纠纷 \(figures.found) 件，化解 \(figures.resolved) 件，化解率 \(figures.rate)。")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示一次调解的全部经过：调解人、参与者、每次经过和结果。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "调解编号，如 HL3-01-2026-T001。") var mediation: String

        func run() throws {
            let loop = try options.open()
            guard let mediation = try loop.mediation(mediation) else {
                throw CommandError("找不到调解“\(mediation)”。请用 yishi mediation list 查看编号。")
            }
            let topic = try mediation.topic.flatMap { try loop.topic($0) }
            if options.output.json {
                Output.printJSON(MediationJSON(mediation: mediation.reference, topic: topic?.reference ?? "", mediator: mediation.mediator ?? "",
                                               participants: mediation.participants, sessions: mediation.sessions,
                                               outcome: mediation.outcome, outcomeOn: mediation.outcomeOn?.description,
                                               agreement: mediation.agreement.isEmpty ? nil : mediation.agreement,
                                               transferredTo: mediation.transferredTo, conflict: mediation.outcomeSides.count > 1 ? mediation.outcomeSides : nil))
                return
            }
            print("调解 \(mediation.reference)：\(topic.map { "\($0.reference) \($0.title)" } ?? "（议题不在本站）")")
            print("  调解人：\(mediation.mediator ?? "")")
            if !mediation.participants.isEmpty { print("  参与调解：\(mediation.participants.joined(separator: "、"))") }
            print("  经过：" + (mediation.sessions.isEmpty ? "（尚未记录）" : ""))
            for session in mediation.sessions { print("    \(session)") }
            print("  结果：\(mediation.stateText)")
            if mediation.outcomeSides.count > 1 { print("  两个站点记下的结果不同，请用 yishi conflicts 查看并选定（议题的状态随之确定）。") }
            if !mediation.agreement.isEmpty { print("  调解协议：\(mediation.agreement)") }
        }

        struct MediationJSON: Encodable {
            var mediation, topic, mediator: String
            var participants, sessions: [String]
            var outcome, outcomeOn, agreement, transferredTo: String?
            var conflict: [String]?
        }
    }
}
