import ArgumentParser
import Foundation
import YishiStore

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal", abstract: "操作日志（journal.jsonl）。", subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "逐行检查操作日志，并核对它与副本是否一致。")

        @OptionGroup var data: DataOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let replica = try data.open()
            let report = try Output.longWork(json: output.json, kept: "核对只读取数据，没有改动任何东西。") { progress in
                try replica.verifyJournal(progress: progress)
            }
            if output.json {
                Output.printJSON(VerifyJSON(
                    lines: report.lines, ops: report.ops, held: report.held, tornBytes: report.tornBytes,
                    problems: report.problems, ok: report.problems.isEmpty, checkpoints: report.checkpoints, verified: report.verified,
                    unverified: Dictionary(report.unverified.filter { !$0.own }.map { ($0.origin, $0.count) }, uniquingKeysWith: +),
                    ownUnsigned: report.unverified.filter(\.own).map(\.count).reduce(0, +)))
            } else {
                print("日志共 \(report.lines) 行，其中修改 \(report.ops) 条（\(report.held) 条在等待更早的修改）。")
                if report.tornBytes > 0 {
                    print("日志末尾有 \(report.tornBytes) 字节不完整的内容（写入时断电或被中止），下次写入时会自动清除；这条修改从未保存成功。")
                }
                print("签名：\(report.checkpoints) 处签名，覆盖 \(report.verified) 条修改，都已核实为其来源所写。")
                for origin in report.unverified {
                    if origin.own {
                        print("  本站自己的 \(origin.count) 条修改（第 \(origin.first) 条起）还没有签名：下次同步或导出时签名。")
                    } else {
                        print("  来源 \(origin.origin) 有 \(origin.count) 条修改（第 \(origin.first) 条起）还没有签名可以核实：与中心同步一次，中心会补签。")
                    }
                }
                if !report.hasDirectory {
                    print("本站还没有街道签发的站点名录，签名只核对了与日志是否相符、未核对是谁签的：与中心同步一次即可。")
                }
                if report.problems.isEmpty {
                    print("日志与副本一致。")
                } else {
                    for problem in report.problems { print("问题：\(problem)") }
                }
            }
            if !report.problems.isEmpty { throw ExitCode(2) }
        }

        struct VerifyJSON: Encodable {
            var lines: Int
            var ops: Int
            var held: Int
            var tornBytes: Int
            var problems: [String]
            var ok: Bool
            var checkpoints: Int
            var verified: Int
            /// Others' ops no checkpoint covers yet, by origin.
            var unverified: [String: Int]
            /// This replica's own ops not signed yet: they are signed when they leave it.
            var ownUnsigned: Int
        }
    }
}

struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "用操作日志重建副本数据库（原数据库保留为 replica.sqlite.before-rebuild）。")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (before, after) = try Output.longWork(json: output.json, kept: "副本数据库保持原样，做了一半的新副本已删除。") { progress in
            try Replica.rebuild(data.directory, progress: progress)
        }
        if output.json {
            Output.printJSON(["before": before ?? "", "after": after, "same": String(before == after)])
        } else if before == after {
            print("重建完成，摘要与重建前相同：\(after)")
        } else if let before {
            print("重建完成。摘要由 \(before) 变为 \(after)：原数据库与日志不一致，现以日志为准；原数据库保留为 replica.sqlite.before-rebuild。")
        } else {
            print("重建完成（原数据库无法读取）。摘要：\(after)")
        }
    }
}
