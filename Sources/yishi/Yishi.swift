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
            SyncCommand.self, StatusCommand.self, KeyCommand.self, UserCommand<StationAccounts>.self, StationCommand.self, CentralCommand.self,
            RecordCommand.self, ConflictsCommand.self, DigestCommand.self, ClockCommand.self,
            ExportCommand.self, ImportCommand.self, BackupCommand.self, RestoreCommand.self, JournalCommand.self, RebuildCommand.self,
            DebugCommand.self,
        ]
    )

    /// Errors a person can act on are printed as they are, in Chinese, without the
    /// parser's English prefix; with `--json` they are also printed as JSON on stdout.
    static func main() async {
        // The shell hands over bytes; Swift would quietly turn bytes that are not UTF-8 into
        // U+FFFD. What a person typed is stored exactly or not at all.
        for index in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) != nil else {
                fail("第 \(index) 个参数不是有效的 UTF-8 文字（可能是 GBK 编码的终端或文件），没有做任何修改。请把终端设为 UTF-8 后重试。")
            }
        }
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
        } catch let code as ExitCode {
            // A command that chose its exit status (journal verify: 2 when damaged) has said why.
            Foundation.exit(code.rawValue)
        } catch {
            // The parser's own answers: help (exit 0) or a mistake in how the command was written.
            if exitCode(for: error) == .success {
                print(ParserText.help(fullMessage(for: error)))
                Foundation.exit(0)
            }
            let path = ParserText.commandPath(Array(CommandLine.arguments.dropFirst()))
            fail(ParserText.error(message(for: error)) + "。用 \(path) --help 查看用法。")
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
