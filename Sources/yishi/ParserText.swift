import ArgumentParser
import Foundation

/// What the argument parser says, in Chinese. swift-argument-parser writes its errors and
/// the frame of its help (USAGE:, OPTIONS:, "Show help information.") in English; the
/// commands' own texts are already Chinese, so the frame is rewritten here and the errors
/// are rewritten by their (stable) patterns. Anything not matched still says what is wrong.
enum ParserText {
    /// The help of a command, with its headings and the parser's own lines in Chinese.
    static func help(_ text: String) -> String {
        var out = text
        for (english, chinese) in [
            ("OVERVIEW: ", "说明："), ("USAGE: ", "用法："), ("ARGUMENTS:", "参数："), ("OPTIONS:", "选项："),
            ("SUBCOMMANDS:", "子命令："), ("Show help information.", "显示本帮助。"), ("Show the version.", "显示版本和数据格式。"),
            ("<subcommand>", "<子命令>"), ("[<options>]", "[<选项>]"), (" (default: ", "（默认："),
        ] {
            out = out.replacingOccurrences(of: english, with: chinese)
        }
        out = out.replacingOccurrences(
            of: #"See '(.+) help (.*)<子命令>' for detailed help\."#, with: "用 $1 help $2<子命令> 查看子命令的说明。", options: .regularExpression)
        // "（默认：x)" from the replacement above closes with a half-width bracket.
        out = out.replacingOccurrences(of: #"（默认：([^)\n]*)\)"#, with: "（默认：$1）", options: .regularExpression)
        return out
    }

    /// A parse error as one Chinese sentence.
    static func error(_ message: String) -> String {
        // Every message UsageGenerator.swift (swift-argument-parser 1.x) writes, most particular first.
        let rules: [(String, String)] = [
            (#"^Missing expected argument '(--[^' ]+)[^']*'$"#, "缺少选项 $1，请补上"),
            (#"^Missing expected argument '<?([^'>]+)>?'$"#, "缺少参数 <$1>，请补上"),
            (#"^Missing one of: (.+)$"#, "缺少以下之一：$1，请补上"),
            (#"^Missing value for '(--?[^' ]+)[^']*'$"#, "选项 $1 后面缺少值"),
            (#"^Missing required subcommand\.?$"#, "缺少子命令"),
            (#"^The value '(.*)' is invalid for '(--?[^' ]+)[^']*'\. Please provide one of '(.+)'\.$"#, "选项 $2 的值“$1”不对，可选的有：“$3”"),
            (#"^The value '(.*)' is invalid for '(--?[^' ]+)[^']*'.*$"#, "选项 $2 的值“$1”不对（应是一个数）"),
            (#"^The value '(.*)' is invalid for '<?([^'>]+)>?'.*$"#, "参数 <$2> 的值“$1”不对"),
            (#"^The value '(.*)' is invalid.*$"#, "值“$1”不对"),
            (#"^The option '(.+)' does not take any value, but '(.*)' was specified\.$"#, "选项 $1 后面不带值，却写了“$2”"),
            (#"^Unknown option '(.+)'\. Did you mean '(.+)'\?$"#, "不认识的选项 $1，是不是要写 $2？"),
            (#"^Unknown option '(.+)'$"#, "不认识的选项 $1"),
            (#"^Invalid option: (.+)$"#, "不认识的选项 $1"),
            (#"^Unexpected argument '(.+)'$"#, "多余的参数“$1”"),
            (#"^\d+ unexpected arguments: '(.+)'$"#, "多余的参数“$1”"),
            (#"^Unknown subcommand '(.+)'$"#, "没有“$1”这个子命令"),
            (#"^Please provide at most one value for '(--?[^' ]+)[^']*'.*$"#, "选项 $1 只能给一次"),
            (#"^Value to be set with (.+) had already been set with (.+)$"#, "同一项写了两次（$2 和 $1）"),
        ]
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        for (pattern, chinese) in rules where trimmed.range(of: pattern, options: .regularExpression) != nil {
            return trimmed.replacingOccurrences(of: pattern, with: chinese, options: .regularExpression)
                .replacingOccurrences(of: "', '", with: "”“")
        }
        // A message of a newer parser: only the words it quotes, never its English.
        let quoted = trimmed.matches(of: /'([^']+)'/).map { "“\($0.1)”" }
        return "命令写法不对" + (quoted.isEmpty ? "" : "（涉及 " + quoted.joined(separator: "、") + "）")
    }

    /// `yishi topic raise`: the subcommands named on the command line, for "--help" hints.
    static func commandPath(_ arguments: [String]) -> String {
        var path = ["yishi"]
        var command: ParsableCommand.Type = Yishi.self
        for argument in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == argument }) else { break }
            path.append(argument)
            command = next
        }
        return path.joined(separator: " ")
    }
}
