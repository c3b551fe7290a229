import ArgumentParser
import Foundation
import YishiStore

extension RecordCommand {
    struct Write: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "write",
            abstract: "写入或修改一段文字（如会议纪要、议题内容）。",
            discussion: "用 --file 读文件（- 表示标准输入），或 --text 直接给出；都不给时打开 $EDITOR 编辑当前内容。只有改动过的句子会被记为修改，其他站点同时改的别的句子都会保留。")
        @OptionGroup var options: LoopOptions
        @OptionGroup var repair: RecordCommand.RepairOptions
        @Argument var record: String
        @Argument var field: String
        @Option(help: "从文件读入全文（- 表示标准输入）。") var file: String?
        @Option(help: "直接给出全文。") var text: String?

        func run() throws {
            let target = try RecordTarget(record: record, field: field, expecting: [.text])
            let content: String
            if let text {
                content = text
            } else if let file {
                content = try Self.read(file)
            } else {
                let current = try options.data.open().fieldState(record: record, field: field)?.document.text ?? ""
                content = try Self.edit(current)
            }
            try RecordCommand.commit(record, field, .text(content), repair: repair, options,
                                     done: "已保存 \(record) 的“\(target.field.label)”。")
        }

        static func read(_ path: String) throws -> String {
            let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
            guard let data else { throw CommandError("读不到文件“\(path)”，请检查路径。") }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CommandError("文件“\(path)”不是 UTF-8 编码（可能是 GBK）。请在编辑器里另存为 UTF-8 后再试。")
            }
            return text
        }

        /// Opens the person's editor on the current text, as `git commit` does.
        static func edit(_ current: String) throws -> String {
            guard let editor = ProcessInfo.processInfo.environment["VISUAL"] ?? ProcessInfo.processInfo.environment["EDITOR"] else {
                throw CommandError("请用 --file 或 --text 给出内容，或设置环境变量 EDITOR（例如 export EDITOR=nano）。")
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-\(UUID().uuidString).txt")
            try Data(current.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(editor) \"$0\"", file.path]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CommandError("编辑器异常退出，未做修改。") }
            return try read(file.path)
        }
    }
}
