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
        version: Release.description,
        subcommands: [
            SetupCommand.self, InitCommand.self, TopicCommand.self, JointCommand.self, OpinionCommand.self, CommitteeCommand.self,
            MeetingCommand.self, AssemblyCommand.self, MajorCommand.self, MediationCommand.self, ActionCommand.self,
            EscalationCommand.self, EvaluationCommand.self, NoticeCommand.self, StatsCommand.self,
            SyncCommand.self, StatusCommand.self, KeyCommand.self, TrustCommand.self, UserCommand<StationAccounts>.self, StationCommand.self, CentralCommand.self,
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
        } catch let error as StartRefused {
            fail(error.message, status: StartRefused.status)
        } catch let code as ExitCode {
            // A command that chose its exit status (journal verify: 2 when damaged) has said why.
            Foundation.exit(code.rawValue)
        } catch {
            if let message = explanation(of: error) { fail(message) }
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

    /// What a person can act on, in Chinese, for the errors that carry it.
    static func explanation(of error: Error) -> String? {
        switch error {
        case let error as StoreError: error.description
        case let error as CommandError: error.message
        case let error as RuleViolation: error.description
        case let error as SyncSetupError: error.description
        case let error as DeskError: error.message
        default: nil
        }
    }

    static func fail(_ message: String, status: Int32 = 1) -> Never {
        if CommandLine.arguments.contains("--json") {
            Output.printJSON(["error": message])
        }
        FileHandle.standardError.write(Data("错误：\(message)\n".utf8))
        Foundation.exit(status)
    }
}

/// A daemon that cannot start because of how the box is set up (no config, no data
/// directory, a bad key): exit status 78 (EX_CONFIG), which the units name in
/// `RestartPreventExitStatus`, so systemd shows the reason once instead of restarting
/// into it every ten seconds.
struct StartRefused: Error {
    static let status: Int32 = 78
    var message: String

    /// Runs a daemon's preparation; what goes wrong there is the box's set-up.
    static func preparing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StartRefused(message: Yishi.explanation(of: error) ?? "\(error)")
        }
    }
}

/// A mistake in how a command was called, explained.
struct CommandError: Error {
    var message: String

    init(_ message: String) { self.message = message }
}
