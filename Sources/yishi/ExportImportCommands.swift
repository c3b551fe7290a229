import ArgumentParser
import Foundation
import YishiMerge
import YishiStore
import YishiCentral
import YishiSync

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "把修改导出到一个文件（例如拷到 U 盘带给没有网络的站点）。")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "导出文件的路径。") var to: String
    @Option(help: "只导出对方缺少的修改：对方 yishi clock 的输出，例如 HL3-01=17,HL3-02=4。")
    var have: String?

    func run() throws {
        var known: VersionVector?
        if let have {
            guard let parsed = VersionVector(parsing: have) else {
                throw CommandError("--have 的格式应为 站点=数字,站点=数字（即对方 yishi clock 的输出），收到的是“\(have)”。")
            }
            known = parsed
        }
        let replica = try data.open()
        // A station signs its own ops as they leave it (a rotating one with both keys), and
        // seals the file; the central, with the street's key.
        let folder = replica.directory.url
        let files = FileManager.default
        let signers = files.fileExists(atPath: folder.appendingPathComponent(StationKey.fileName).path)
            ? [try StationKey.load(from: folder).signing] + ((try StationKey.loadNext(from: folder)).map { [$0.signing] } ?? [])
            : files.fileExists(atPath: StreetKey.url(in: folder).path) ? [try StreetKey.load(from: StreetKey.url(in: folder)).signing] : []
        guard !signers.isEmpty else {
            throw CommandError("找不到本站的签名密钥（\(folder.path)/\(StationKey.fileName)），无法给导出的文件签名。请从备份恢复密钥文件。没有生成导出文件。")
        }
        let count = try Output.longWork(json: output.json, kept: "没有生成导出文件；副本没有改动。") { progress in
            try replica.export(to: URL(fileURLWithPath: to), lacking: known, signers: signers, progress: progress)
        }
        if output.json {
            Output.printJSON(["file": to, "ops": String(count)])
        } else {
            print("已导出 \(count) 条修改到 \(to)")
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "导入另一站点导出的文件。重复导入或顺序颠倒都不要紧。")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "导出文件的路径。") var file: String

    func run() throws {
        let replica = try data.open()
        let report = try Output.longWork(json: output.json, kept: "整个文件都没有导入（导入在一个事务里，停下即全部撤回）；副本没有改动。") { progress in
            try replica.importBundle(at: URL(fileURLWithPath: file), progress: progress)
        }
        let conflicts = try replica.conflicts().count
        if output.json {
            Output.printJSON(ImportJSON(applied: report.applied, held: report.held, duplicates: report.duplicates, conflicts: conflicts))
        } else {
            var line = "已导入：新应用 \(report.applied) 条，已有 \(report.duplicates) 条"
            if report.held > 0 { line += "，另有 \(report.held) 条在等待更早的修改（收到后自动应用）" }
            print(line + "。")
            if conflicts > 0 { print("现有 \(conflicts) 处冲突需要确认，请运行 yishi conflicts 查看。") }
        }
    }

    struct ImportJSON: Encodable {
        var applied: Int
        var held: Int
        var duplicates: Int
        var conflicts: Int
    }
}
