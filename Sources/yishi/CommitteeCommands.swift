import ArgumentParser
import Foundation
import YishiDeliberation
import YishiModel

struct CommitteeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "committee", abstract: "社区协商委员会委员。", subcommands: [Add.self, End.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "登记一位委员及其任期。")
        @OptionGroup var options: LoopOptions
        @Option var name: String
        @Option(help: "界别，如 居民代表。") var category: String
        @Option(help: "任期开始，如 2024-01-01。") var from: String
        @Option(help: "任期结束，如 2026-12-31。") var to: String

        func run() throws {
            let (id, notices) = try options.open().addMember(
                name: name, category: category, termStart: try Parse.date(from, "任期开始"), termEnd: try Parse.date(to, "任期结束"),
                by: try options.author.name())
            let reference = referenceOf(id)
            if options.output.json {
                Output.printJSON(MemberJSON(member: reference, notices: notices.map(\.description)))
                return
            }
            print("已登记委员 \(name)（\(reference)，\(category)）。")
            // Past the community's make-up: registered all the same, and said, on stderr as a warning is.
            for notice in notices { FileHandle.standardError.write(Data("提醒：\(notice)\n".utf8)) }
        }

        struct MemberJSON: Encodable {
            var member: String
            var notices: [String]
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "end", abstract: "委员提前离任。")
        @OptionGroup var options: LoopOptions
        @Argument var member: String
        @Option var on: String

        func run() throws {
            try options.open().endMember(member, on: try Parse.date(on, "离任日期"), by: try options.author.name())
            Output.done(options.output, "委员 \(member) 的任期已于 \(on) 结束。")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出某天在任的委员（默认今天）。")
        @OptionGroup var options: LoopOptions
        @Option var on: String?

        func run() throws {
            let loop = try options.open()
            let date = try on.map { try Parse.date($0, "日期") } ?? loop.today
            let members = try loop.committee(on: date)
            if options.output.json {
                Output.printJSON(members.map { ["member": $0.reference, "name": $0.name, "category": $0.category ?? ""] })
                return
            }
            print("\(date) 在任委员 \(members.count) 人：")
            for member in members {
                print("  \(member.reference)  \(member.name)  \(member.category ?? "")  任期 \(member.termStart?.description ?? "？") 至 \(member.termEnd?.description ?? "？")")
            }
        }
    }
}
