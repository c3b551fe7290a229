import ArgumentParser
import Foundation
import YishiDeliberation
import YishiModel

struct MeetingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meeting", abstract: "协商会议：公示、报名、签到、纪要、表决。",
        subcommands: [Schedule.self, Register.self, Attend.self, Consult.self, Minutes.self, Finalise.self, Vote.self, Close.self,
                      List.self, Show.self])

    struct Schedule: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule", abstract: "安排会议并立即公示（须提前公示，默认 3 天）。")
        @OptionGroup var options: LoopOptions
        @Option(help: "会议形式：\(Vocabulary.meetingForms.joined(separator: "、"))。") var form: String
        @Option(help: "会议时间，如 2026-11-25 14:30。") var time: String
        @Option var place: String
        @Option var host: String
        @Option var recorder: String?
        @Option(help: "主要内容。") var content: String?
        @Option(name: .customLong("topic"), help: "议题编号（可多个）。") var topics: [String] = []
        @Option(name: .customLong("participant"), help: "参加人员，写成 角色：姓名（可多个）。") var participants: [String] = []
        @Option(help: "公示不足期限时，写明紧急原因。") var urgent: String?

        func run() throws {
            let draft = MeetingDraft(
                form: form, time: try Parse.dateTime(time, "会议时间"), place: place, host: host, recorder: recorder,
                content: content, topics: topics, participants: participants, urgentReason: urgent)
            let id = try options.open().schedule(draft, by: try options.author.name())
            let reference = String(id.dropFirst("meeting/".count))
            if options.output.json { Output.printJSON(["meeting": reference]) } else {
                print("已安排会议 \(reference)（\(form)，\(time)），公示已发布。打印公示：yishi notice meeting \(reference)")
            }
        }
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "register", abstract: "公示期间登记报名列席的居民或单位。")
        @OptionGroup var options: LoopOptions
        @Argument var meeting: String
        @Argument var name: String

        func run() throws {
            try options.open().register(meeting, name: name, by: try options.author.name())
            Output.done(options.output, "已登记“\(name)”报名参加会议 \(meeting)。")
        }
    }

    struct Attend: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "attend", abstract: "记录实际到会人员。")
        @OptionGroup var options: LoopOptions
        @Argument var meeting: String
        @Argument var names: [String]

        func run() throws {
            try options.open().recordAttendance(meeting, names: names, by: try options.author.name())
            Output.done(options.output, "已记录 \(names.count) 人到会。")
        }
    }

    struct Consult: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "consult", abstract: "记录入户征求意见的结果（户数、同意户数）。")
        @OptionGroup var options: LoopOptions
        @Argument var meeting: String
        // Unconditional: "--households -5" is a number to refuse with the rule's message,
        // not an unknown option.
        @Option(parsing: .unconditional, help: "征求意见的户数。") var households: Int
        @Option(parsing: .unconditional, help: "同意的户数。") var agree: Int

        func run() throws {
            try options.open().recordConsultation(meeting, consulted: households, agreed: agree, by: try options.author.name())
            Output.done(options.output, "已记录：\(HouseholdConsultation(consulted: households, agreed: agree).summary)。")
        }
    }

    struct Minutes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "minutes", abstract: "写入会议纪要（--file 读文件，- 为标准输入；都不给时打开 $EDITOR）。")
        @OptionGroup var options: LoopOptions
        @Argument var meeting: String
        @Option var file: String?
        @Option var text: String?

        func run() throws {
            let loop = try options.open()
            let content: String
            if let text { content = text } else if let file { content = try RecordCommand.Write.read(file) } else {
                content = try RecordCommand.Write.edit(try loop.meeting(meeting)?.minutes ?? "")
            }
            try loop.writeMinutes(meeting, text: content, by: try options.author.name())
            Output.done(options.output, "会议 \(meeting) 的纪要已保存。")
        }
    }

    struct Finalise: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "finalise", abstract: "纪要定稿（每项落实事项须写明谁来干、标准、时限、监督人）。")
        @OptionGroup var options: LoopOptions
        @Argument var meeting: String

        func run() throws {
            try options.open().finaliseMinutes(meeting, by: try options.author.name())
            Output.done(options.output, "会议 \(meeting) 的纪要已定稿。")
        }
    }

    struct Vote: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "vote", abstract: "记录委员对议题的表决：同意、不同意或弃权。")
        @OptionGroup var options: LoopOptions
        @Argument var meeting: String
        @Option var topic: String
        @Option(help: "委员编号或姓名。") var member: String
        @Argument var choice: String

        func run() throws {
            try options.open().vote(meeting, topic: topic, member: member, choice: choice, by: try options.author.name())
            Output.done(options.output, "已记录 \(member) 对 \(topic) 的表决：\(choice)。")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close", abstract: "结束本轮协商：按全体在任委员计算同意比例，决定是否达成共识。")
        @OptionGroup var options: LoopOptions
        @Argument var meeting: String
        @Option var topic: String
        @Flag(help: "未达成共识时暂时搁置。") var shelve = false
        @Flag(help: "属于居民会议决定的事项，提交居民会议。") var assembly = false

        func run() throws {
            let outcome = try options.open().closeRound(meeting, topic: topic, shelve: shelve, toAssembly: assembly,
                                                        by: try options.author.name())
            let (result, tally): (String, ConsensusTally) = switch outcome {
            case .consensus(let tally): ("consensus", tally)
            case .anotherRound(let tally): ("another-round", tally)
            case .shelved(let tally): ("shelved", tally)
            case .toAssembly(let tally): ("assembly", tally)
            }
            if options.output.json {
                Output.printJSON(["outcome": result, "agree": String(tally.agree), "members": String(tally.members)])
                return
            }
            let words = ["consensus": "达成共识", "another-round": "未达成共识，请安排下一轮协商",
                         "shelved": "未达成共识，已搁置", "assembly": "已提交居民会议"][result]!
            print("议题 \(topic)：\(words)。\(tally.summary)。")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出会议。")
        @OptionGroup var options: LoopOptions

        func run() throws {
            let meetings = try options.open().meetings()
            if options.output.json {
                Output.printJSON(meetings.map { ["meeting": $0.reference, "form": $0.form ?? "", "time": $0.time?.description ?? ""] })
                return
            }
            if meetings.isEmpty { print("还没有会议。") }
            for meeting in meetings {
                print("\(meeting.reference)  \(meeting.time?.description ?? "")  \(meeting.form ?? "")  \(meeting.place ?? "")"
                      + (meeting.minutesFinal ? "  纪要已定稿" : ""))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示会议的全部情况。")
        @OptionGroup var options: LoopOptions
        @Argument var meeting: String

        func run() throws {
            let loop = try options.open()
            guard let meeting = try loop.meeting(meeting) else { throw CommandError("找不到会议“\(self.meeting)”。") }
            if options.output.json {
                Output.printJSON(MeetingJSON(meeting))
                return
            }
            print("会议 \(meeting.reference)：\(meeting.form ?? "")")
            print("  时间：\(meeting.time?.description ?? "")  地点：\(meeting.place ?? "")  主持：\(meeting.host ?? "")  记录：\(meeting.recorder ?? "")")
            print("  公示：\(meeting.noticePostedAt?.description ?? "")" + (meeting.urgentReason.map { "（紧急：\($0)）" } ?? ""))
            print("  议题：\(meeting.topics.map { String($0.dropFirst("topic/".count)) }.joined(separator: "、"))")
            print("  参加：\(meeting.participants.joined(separator: "、"))")
            if !meeting.registrations.isEmpty { print("  报名列席：\(meeting.registrations.joined(separator: "、"))") }
            if !meeting.attendance.isEmpty { print("  实到：\(meeting.attendance.joined(separator: "、"))") }
            for topic in meeting.topics {
                let ballots = meeting.ballots(onTopic: topic)
                if !ballots.isEmpty {
                    print("  表决 \(topic.dropFirst("topic/".count))：" + ballots.sorted { $0.key < $1.key }
                        .map { "\($0.key.dropFirst("member/".count)) \($0.value)" }.joined(separator: "，"))
                }
            }
            if let consultation = meeting.consultation { print("  入户征求意见：\(consultation.summary)") }
            for topic in meeting.topics {
                print("  \(referenceOf(topic))：第 \(meeting.round(for: topic)) 轮，" + (meeting.outcome(for: topic) ?? "尚未结束本轮协商"))
            }
            print("  纪要\(meeting.minutesFinal ? "（已定稿）" : "")：")
            for line in meeting.minutes.split(separator: "\n") { print("    " + line) }
            if !meeting.newerContent.isEmpty { print("  有新版本的内容，请升级后查看：\(meeting.newerContent.joined(separator: "、"))") }
        }
    }
}

/// A meeting for scripts: its topics each with their own round and outcome.
struct MeetingJSON: Encodable {
    struct TopicResult: Encodable {
        var topic: String
        var round: Int
        var outcome: String?
    }

    var meeting: String
    var minutes: String
    var minutesFinal: Bool
    var topics: [TopicResult]
    var newerContent: [String]

    init(_ meeting: Meeting) {
        self.meeting = meeting.reference
        minutes = meeting.minutes
        minutesFinal = meeting.minutesFinal
        topics = meeting.topics.map { TopicResult(topic: referenceOf($0), round: meeting.round(for: $0), outcome: meeting.outcome(for: $0)) }
        newerContent = meeting.newerContent
    }
}
