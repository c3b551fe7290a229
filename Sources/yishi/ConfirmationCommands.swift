import ArgumentParser
import Foundation
import YishiDeliberation
import YishiModel

/// 两委联席会议 and the street's opinion: what comes before a topic's 议事厅 meeting.
struct JointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "joint", abstract: "两委联席会议：社区党组织和居委会确定议题（或暂不列入并写明原因）。",
        subcommands: [Hold.self, List.self])

    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hold", abstract: "记录一次两委联席会议及它对各议题的决定。",
            discussion: "例：yishi joint hold --date 2026-11-02 --participant 张书记 --participant 李主任 --confirm HL3-01-2026-0001 "
                + "--set-aside \"HL3-01-2026-0002=业委会正在换届，待换届后再议\" --public-service HL3-01-2026-0001")
        @OptionGroup var options: LoopOptions
        @Option(help: "会议日期，如 2026-11-02。") var date: String
        @Option(name: .customLong("participant"), help: "参加人员（可多个）。") var participants: [String] = []
        @Option(name: .customLong("confirm"), help: "确定为议事厅议题的议题编号（可多个）。") var confirmed: [String] = []
        @Option(name: .customLong("set-aside"), help: "暂不列入的议题，写成 编号=原因（可多个）。") var setAside: [String] = []
        @Option(name: .customLong("public-service"), help: "涉及政府公共服务、须先征求街道意见的议题编号（可多个）。") var publicService: [String] = []

        func run() throws {
            var decisions = confirmed.map { JointDecision(topic: $0, confirm: true) }
            for entry in setAside {
                guard let equals = entry.firstIndex(of: "=") else {
                    throw CommandError("--set-aside 应写成 编号=原因，如 --set-aside \"HL3-01-2026-0002=待换届后再议\"，现在是“\(entry)”。")
                }
                decisions.append(JointDecision(topic: String(entry[..<equals]), confirm: false, reason: String(entry[entry.index(after: equals)...])))
            }
            for index in decisions.indices where publicService.contains(decisions[index].topic) { decisions[index].publicService = true }
            if let stray = publicService.first(where: { topic in !decisions.contains { $0.topic == topic } }) {
                throw CommandError("--public-service \(stray) 不在本次确定或暂不列入的议题里。")
            }
            let id = try options.open().holdJointMeeting(
                date: try Parse.date(date, "会议日期"), participants: participants, decisions: decisions, by: try options.author.name())
            if options.output.json { Output.printJSON(["joint": referenceOf(id)]); return }
            print("已记录两委联席会议 \(referenceOf(id))：确定 \(confirmed.count) 个议题，暂不列入 \(setAside.count) 个。")
            if !publicService.isEmpty {
                print("涉及政府公共服务的议题须先征求街道意见：yishi topic ask-street 编号 --question \"…\"")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出两委联席会议及其决定。")
        @OptionGroup var options: LoopOptions

        func run() throws {
            let loop = try options.open()
            let meetings = try loop.jointMeetings().sorted { ($0.date?.description ?? "") < ($1.date?.description ?? "") }
            // The public-service mark is the topic's (the joint meeting that confirmed it set it).
            let publicService = Set(try meetings.flatMap(\.decisions.keys).filter { try loop.topic($0)?.publicService == true })
            if options.output.json {
                Output.printJSON(meetings.map { meeting in
                    JointJSON(joint: meeting.reference, date: meeting.date?.description ?? "", participants: meeting.participants,
                              decisions: meeting.decisions.mapKeys(referenceOf),
                              publicService: meeting.decisions.keys.filter(publicService.contains).map(referenceOf).sorted())
                })
                return
            }
            if meetings.isEmpty { print("还没有记录两委联席会议。") }
            for meeting in meetings {
                print("\(meeting.reference)  \(meeting.date?.description ?? "")  参加：\(meeting.participants.joined(separator: "、"))")
                for (topic, decision) in meeting.decisions.sorted(by: { $0.key < $1.key }) {
                    print("  \(referenceOf(topic))  \(decision)" + (publicService.contains(topic) ? "（涉及政府公共服务，须先征求街道意见）" : ""))
                }
            }
        }

        struct JointJSON: Encodable {
            var joint: String
            var date: String
            var participants: [String]
            var decisions: [String: String]
            var publicService: [String]
        }
    }
}

extension TopicCommand {
    struct AskStreet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ask-street", abstract: "涉及政府公共服务的议题，向街道征求意见（答复到达前不能安排协商会议）。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "议题编号。") var topic: String
        @Option(help: "征询的内容。") var question: String

        func run() throws {
            let id = try options.open().askStreet(topic, question: question, by: try options.author.name())
            if options.output.json { Output.printJSON(["opinion": referenceOf(id)]); return }
            print("已向街道征求意见（\(referenceOf(id))）。下次同步时送到街道工作台；街道答复同步回来后，才能安排这个议题的协商会议。")
        }
    }
}

struct OpinionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opinion", abstract: "街道意见：列出向街道的征询；记录街道的答复（街道的事：在街道工作台，或在中心的数据目录上运行；站点上会被拒绝）。",
        subcommands: [List.self, Answer.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出向街道的征询和街道的答复；--waiting 只列还在等答复的。")
        @OptionGroup var options: LoopOptions
        @Flag(help: "只列出街道还没有答复的征询。") var waiting = false

        func run() throws {
            let loop = try options.open()
            let opinions = try loop.opinions().filter { !waiting || !$0.isAnswered }
                .sorted { ($0.askedOn?.description ?? "", $0.id) < ($1.askedOn?.description ?? "", $1.id) }
            if options.output.json {
                Output.printJSON(opinions.map { opinion in
                    ["opinion": opinion.reference, "topic": referenceOf(opinion.topic ?? ""), "question": opinion.question ?? "",
                     "askedOn": opinion.askedOn?.description ?? "", "answeredOn": opinion.answeredOn?.description ?? "", "answer": opinion.answer ?? ""]
                })
                return
            }
            if opinions.isEmpty { print(waiting ? "没有在等街道答复的征询。" : "还没有向街道征询过意见。") }
            for opinion in opinions {
                print("\(opinion.reference)  议题 \(referenceOf(opinion.topic ?? ""))  \(opinion.askedOn?.description ?? "") 征询：\(opinion.question ?? "")")
                if let answer = opinion.answer {
                    print("  \(opinion.answeredOn?.description ?? "") 街道答复：\(answer)")
                } else {
                    let days = opinion.askedOn.map { loop.today.dayNumber - $0.dayNumber } ?? 0
                    print("  等待街道答复" + (days > 0 ? "（已等 \(days) 天）" : ""))
                }
            }
        }
    }

    struct Answer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "answer", abstract: "记录街道的意见。")
        @OptionGroup var options: LoopOptions
        @Argument(help: "征询编号，如 HL3-01-2026-Q001。") var opinion: String
        @Option(help: "街道的意见。") var answer: String
        @Option(help: "答复日期，默认今天。") var on: String?

        func run() throws {
            let loop = try options.open()
            try loop.answerStreetOpinion(opinion, answeredOn: try on.map { try Parse.date($0, "答复日期") } ?? loop.today, answer: answer,
                                         by: try options.author.name())
            Output.done(options.output, "已记录街道对 \(opinion) 的意见。")
        }
    }
}

extension Dictionary {
    func mapKeys<T: Hashable>(_ transform: (Key) -> T) -> [T: Value] {
        Dictionary<T, Value>(map { (transform($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
