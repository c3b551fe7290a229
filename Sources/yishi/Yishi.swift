/// yishi: the one executable — staff commands on a station's replica, and (in later
/// releases) the station daemon and the central server.
import ArgumentParser
import Foundation
import YishiDesk
import YishiModel
import YishiStore
import YishiSync

@main
struct Yishi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yishi",
        abstract: "议事：社区议事协商记录系统（离线可用，多站点合并）。",
        discussion: "数据目录用 --data 指定，或设置环境变量 YISHI_DATA；默认 /var/lib/yishi。每个命令都支持 --json。",
        subcommands: [
            InitCommand.self, TopicCommand.self, CommitteeCommand.self, MeetingCommand.self, ActionCommand.self,
            EscalationCommand.self, EvaluationCommand.self, NoticeCommand.self, StatsCommand.self,
            SyncCommand.self, StatusCommand.self, KeyCommand.self, UserCommand.self, StationCommand.self, CentralCommand.self,
            RecordCommand.self, ConflictsCommand.self, DigestCommand.self, ClockCommand.self,
            ExportCommand.self, ImportCommand.self, JournalCommand.self, RebuildCommand.self, DebugCommand.self,
        ]
    )

    /// Errors a person can act on are printed as they are, in Chinese, without the
    /// parser's English prefix; with `--json` they are also printed as JSON on stdout.
    static func main() async {
        do {
            var command = try parseAsRoot(leadingDataOption(Array(CommandLine.arguments.dropFirst())))
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as StoreError {
            fail(error.description)
        } catch let error as CommandError {
            fail(error.message)
        } catch let error as RuleViolation {
            fail(error.description)
        } catch let error as SyncSetupError {
            fail(error.description)
        } catch let error as DeskError {
            fail(error.message)
        } catch {
            exit(withError: error)
        }
    }

    /// `yishi --data DIR digest` reads as naturally as `yishi digest --data DIR`: a leading
    /// `--data` is taken here and handed on through YISHI_DATA.
    static func leadingDataOption(_ arguments: [String]) -> [String] {
        if arguments.count >= 2, arguments[0] == "--data" {
            setenv("YISHI_DATA", arguments[1], 1)
            return Array(arguments.dropFirst(2))
        }
        if let first = arguments.first, first.hasPrefix("--data=") {
            setenv("YISHI_DATA", String(first.dropFirst("--data=".count)), 1)
            return Array(arguments.dropFirst())
        }
        return arguments
    }

    static func fail(_ message: String) -> Never {
        if CommandLine.arguments.contains("--json") {
            Output.printJSON(["error": message])
        }
        FileHandle.standardError.write(Data("错误：\(message)\n".utf8))
        Foundation.exit(1)
    }
}

/// A mistake in how a command was called, explained.
struct CommandError: Error {
    var message: String

    init(_ message: String) { self.message = message }
}
