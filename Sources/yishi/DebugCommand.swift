import ArgumentParser
import Foundation
import YishiMerge
import YishiStore

/// Tools for the crash, concurrency and sync tests, which need raw edits in bulk or at a
/// fixed record; hidden from help. They write straight to the store, around the loop's
/// rules, so they run only where YISHI_TEST_TOOLS=1 says this is a test, never for staff.
struct DebugCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug", shouldDisplay: false, subcommands: [EditLoop.self, Bulk.self, Put.self])

    static func requireTestTools() throws {
        guard ProcessInfo.processInfo.environment["YISHI_TEST_TOOLS"] == "1" else {
            throw CommandError("yishi debug 只供自动测试使用，不能用来修改记录。修改记录请用议事命令或 yishi record。")
        }
    }

    /// One register value on any record, existing or not: a fixture for store tests.
    struct Put: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "put")
        @OptionGroup var data: DataOptions
        @Argument var record: String
        @Argument var field: String
        @Argument var value: String

        func run() throws {
            try DebugCommand.requireTestTools()
            try data.open().edit([LocalEdit(record: record, field: field, change: .write(value))], author: "测试", at: .now)
        }
    }

    /// Makes edits one after another, printing `acked DOT` only once each is committed:
    /// a test that kills this process may rely on every printed dot having survived.
    struct EditLoop: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit-loop")
        @OptionGroup var data: DataOptions
        @Option var count: Int = 100
        @Option var record: String = "topic/loop"

        func run() throws {
            try DebugCommand.requireTestTools()
            let replica = try data.open()
            for index in 0..<count {
                let edits = [
                    LocalEdit(record: record, field: "title", change: .write("第\(index)次修改")),
                    LocalEdit(record: record, field: "description", change: .text("说明第\(index)版。\n其余不变。\n")),
                ]
                for op in try replica.edit(edits, author: "测试", at: .now) {
                    // Unbuffered, so nothing acknowledged is lost in a buffer when killed.
                    FileHandle.standardOutput.write(Data("acked \(op.dot)\n".utf8))
                }
            }
        }
    }

    /// Makes `count` edits in one transaction: a long outbox for the sync tests.
    struct Bulk: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bulk")
        @OptionGroup var data: DataOptions
        @Option var count: Int = 1000

        func run() throws {
            try DebugCommand.requireTestTools()
            let replica = try data.open()
            let edits = (0..<count).map { LocalEdit(record: "topic/bulk-\($0 / 5)", field: "title", change: .write("批量\($0)")) }
            print(try replica.edit(edits, author: "测试", at: .now).count)
        }
    }
}
