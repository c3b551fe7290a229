import Foundation

/// The questions `yishi setup` asks. On a terminal a wrong answer is explained and asked
/// again; from a pipe or a file (twenty boxes set up by one script) the answers are read a
/// line each, in order, and a wrong one stops the setup with its reason before anything is
/// written.
struct Questions {
    let interactive = isatty(STDIN_FILENO) == 1

    /// One answer: an empty line takes `default`; `check` says what is wrong with an answer
    /// (nil when it is right).
    func ask(_ question: String, default defaultValue: String? = nil, check: (String) -> String? = { _ in nil }) throws -> String {
        let shown = defaultValue.map { $0.isEmpty ? "（可留空）" : " [\($0)]" } ?? ""
        for _ in 0..<(interactive ? 5 : 1) {
            FileHandle.standardError.write(Data("\(question)\(shown)：".utf8))
            guard let line = readLine(strippingNewline: true) else {
                if !interactive { FileHandle.standardError.write(Data("\n".utf8)) }
                guard let defaultValue else { throw CommandError("没有读到“\(question)”的回答，什么也没有写入。") }
                return defaultValue
            }
            if !interactive { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
            let answer = line.trimmingCharacters(in: .whitespaces)
            guard let value = answer.isEmpty ? defaultValue : answer else {
                if interactive { FileHandle.standardError.write(Data("  这一项必须填写。\n".utf8)); continue }
                throw CommandError("“\(question)”没有回答，什么也没有写入。")
            }
            // An optional question left empty needs no check.
            guard !value.isEmpty, let problem = check(value) else { return value }
            if interactive { FileHandle.standardError.write(Data("  \(problem)\n".utf8)); continue }
            throw CommandError("“\(question)”的回答不对：\(problem) 什么也没有写入。")
        }
        throw CommandError("“\(question)”多次回答都不对，什么也没有写入。")
    }

    /// Yes or no, as 是/否 (y/n also taken).
    func confirm(_ question: String, default defaultValue: Bool) throws -> Bool {
        let answer = try ask(question + "（是/否）", default: defaultValue ? "是" : "否") { value in
            ["是", "否", "y", "n", "yes", "no"].contains(value.lowercased()) ? nil : "请回答“是”或“否”。"
        }
        return ["是", "y", "yes"].contains(answer.lowercased())
    }

    /// A new password for a desk account: hidden and asked twice on a terminal, one line
    /// from a pipe (as `yishi user add` reads it).
    func newPassword(for name: String) throws -> String {
        FileHandle.standardError.write(Data("为 \(name) 设定工作台登录密码。\n".utf8))
        return try Password.read(confirm: true)
    }
}
