import ArgumentParser
import Foundation
import YishiDeliberation
import YishiModel
import YishiPublicBoard
import YishiStore
import YishiSync

struct NoticeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notice", abstract: "生成公示：A4 打印用 HTML 和 Markdown 文本（电话和匿名提议人已隐去）。",
        subcommands: [MeetingNotice.self, ResultNotice.self, MajorNotice.self])

    struct Destination: ParsableArguments {
        @Option(help: "保存到这个目录（生成 .html 和 .md）；不给时把 Markdown 打印出来。") var out: String?
    }

    /// The board's address as the central last told this station (nil: no QR code).
    static func board(_ loop: Deliberation) throws -> String? { try loop.replica.note(SyncSession.boardNote) }

    static func emit(_ notice: NoticeDocument, name: String, to destination: Destination, output: OutputOptions) throws {
        guard let folder = destination.out else {
            if output.json { Output.printJSON(["markdown": notice.markdown, "html": notice.html]) } else { print(notice.markdown) }
            return
        }
        let directory = URL(fileURLWithPath: folder)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(notice.html.utf8).write(to: directory.appendingPathComponent(name + ".html"), options: .atomic)
            try Data(notice.markdown.utf8).write(to: directory.appendingPathComponent(name + ".md"), options: .atomic)
        } catch {
            throw CommandError("无法写入 \(folder)：\(FileProblem.describe(error))。公示没有生成；请检查目录、权限和磁盘空间。")
        }
        let html = directory.appendingPathComponent(name + ".html").path
        if output.json { Output.printJSON(["html": html, "markdown": directory.appendingPathComponent(name + ".md").path]) } else {
            print("已生成 \(html)（用浏览器打开后打印，A4 纸）和同名 .md 文本。")
        }
    }

    struct MeetingNotice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "meeting", abstract: "会议公示。")
        @OptionGroup var options: LoopOptions
        @OptionGroup var destination: Destination
        @Argument var meeting: String

        func run() throws {
            let loop = try options.open()
            var notice = try loop.meetingNotice(meeting, communityName: loop.rules.communityName ?? loop.replica.community)
            notice.linkOnline(try NoticeCommand.board(loop).map { PublicBoard.Link.meeting($0, loop.replica.community, referenceOf(meeting)) })
            try NoticeCommand.emit(notice, name: "会议公示-\(meeting)", to: destination, output: options.output)
        }
    }

    struct ResultNotice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "result", abstract: "议事结果公示。")
        @OptionGroup var options: LoopOptions
        @OptionGroup var destination: Destination
        @Argument var topic: String

        func run() throws {
            let loop = try options.open()
            var notice = try loop.resultNotice(topic, communityName: loop.rules.communityName ?? loop.replica.community)
            notice.linkOnline(try NoticeCommand.board(loop).map { PublicBoard.Link.topic($0, loop.replica.community, referenceOf(topic)) })
            try NoticeCommand.emit(notice, name: "结果公示-\(topic)", to: destination, output: options.output)
        }
    }
}

extension NoticeCommand {
    struct MajorNotice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "major", abstract: "重大事项两公开：决议公开或实施结果公开。")
        @OptionGroup var options: LoopOptions
        @OptionGroup var destination: Destination
        @Argument var major: String
        @Flag(help: "决议公开。") var resolution = false
        @Flag(help: "实施结果公开。") var outcome = false

        func run() throws {
            guard resolution != outcome else { throw CommandError("请二选一：--resolution（决议公开）或 --outcome（实施结果公开）。") }
            let loop = try options.open()
            let notice = try loop.majorNotice(major, resolution: resolution, communityName: loop.rules.communityName ?? loop.replica.community)
            try NoticeCommand.emit(notice, name: "\(resolution ? "决议公开" : "结果公开")-\(major)", to: destination, output: options.output)
        }
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "统计：事项来源、办理、解决率、会议、办理天数、超期、满意度、纠纷化解率、积分。")
    @OptionGroup var options: LoopOptions
    @Option(help: "起始日期。") var from: String?
    @Option(help: "截止日期。") var to: String?

    func run() throws {
        let loop = try options.open()
        let stats = try loop.statistics(from: try from.map { try Parse.date($0, "起始日期") }, to: try to.map { try Parse.date($0, "截止日期") })
        if options.output.json { Output.printJSON(stats); return }
        let span = stats.from == nil && stats.to == nil ? "全部" : "\(stats.from ?? "最早")至\(stats.to ?? "今天")"
        print("统计范围：\(span)（超期按 \(loop.today) 计）")
        print("收集事项 \(stats.raised) 件，已办结 \(stats.solved) 件，解决率 \(stats.resolutionRate)")
        print("  按渠道：" + stats.byChannel.map { "\($0.name) \($0.count)" }.joined(separator: "，"))
        print("  按办理类别：" + stats.byHandling.map { "\($0.name) \($0.count)" }.joined(separator: "，"))
        print("召开会议 \(stats.meetings) 次：" + stats.meetingsByForm.map { "\($0.name) \($0.count)" }.joined(separator: "，"))
        if let average = stats.averageDaysToResolution {
            print(String(format: "从登记到办结：平均 %.1f 天，", average) + "中位数 \(Statistics.days(stats.medianDaysToResolution))")
        }
        print("超期事项 \(stats.overdue.count) 件" + (stats.overdue.isEmpty ? "" : "："))
        for item in stats.overdue { print("  \(item.reference)  \(item.what)  时限 \(item.deadline)，已超 \(item.daysOverdue) 天") }
        if !stats.satisfaction.isEmpty { print("满意度（按评议轮次）：") }
        for round in stats.satisfaction {
            print("  \(round.topic) 第 \(round.round) 轮：满意 \(round.satisfied)、基本满意 \(round.basic)、不满意 \(round.unsatisfied)，满意率 \(round.rate)")
        }
        print("纠纷 \(stats.disputes.found) 件，调解化解 \(stats.disputes.resolved) 件，化解率 \(stats.disputes.rate)")
        if stats.assemblies > 0 { print("居民会议 \(stats.assemblies) 次，其中达到法定人数作出决定 \(stats.assembliesDecided) 次") }
        if stats.majorMatters > 0 { print("重大事项 \(stats.majorMatters) 件，已完成两公开 \(stats.majorMattersPublished) 件") }
        if !stats.points.isEmpty { print("积分：") }
        for entry in stats.points { print("  \(entry.resident) \(entry.points) 分（\(entry.ideas.joined(separator: "；"))）") }
    }
}
