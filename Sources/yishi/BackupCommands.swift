import ArgumentParser
import Foundation
import YishiMerge
import YishiStore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "备份数据目录（站点或中心均可），站点服务运行、工作人员录入时也可以做。",
        discussion: "在 --to 目录下新建一个以站点编号和时间命名的子目录；做完后逐行核对日志并比对摘要，通过才算备份成功。")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "备份放在哪个目录下（例如 /var/backups/yishi，或插在站点机上的 U 盘）。") var to: String
    @Option(help: "只保留本站最近的几份备份，更早的删除（不给则全部保留）。") var keep: Int?

    func run() throws {
        if let keep, keep < 1 { throw CommandError("--keep 至少为 1（保留最近 1 份）。") }
        let replica = try data.open()
        let folder = URL(fileURLWithPath: to)
        let name = "\(replica.station)-\(Self.stamp(Date()))"
        let manifest = try Output.longWork(
            json: output.json, kept: "没有留下不完整的备份（做了一半的 \(name).partial 已删除）；数据目录和已有的备份都没有改动。"
        ) { progress in
            try Backup.make(of: replica, into: folder.appendingPathComponent(name), progress: progress)
        }
        let removed = try keep.map { try Self.prune(folder, station: manifest.station, keeping: $0) } ?? []
        let path = folder.appendingPathComponent(name).path
        if output.json {
            Output.printJSON(BackupJSON(path: path, ops: manifest.ops, journalBytes: manifest.journalBytes,
                                        digest: manifest.digest, removed: removed))
        } else {
            print("已备份到 \(path)：\(manifest.ops) 条修改，日志 \(manifest.journalBytes) 字节，摘要 \(manifest.digest)。已逐行核对日志并比对摘要。")
            for old in removed { print("已删除较早的备份 \(old)") }
        }
    }

    /// Beijing time, sortable: `20261123-030000`.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }

    /// Removes this station's oldest backups in `folder` beyond the newest `count`; only
    /// directories whose manifest names this station are touched.
    static func prune(_ folder: URL, station: String, keeping count: Int) throws -> [String] {
        let files = FileManager.default
        let ours = try files.contentsOfDirectory(atPath: folder.path).sorted().filter { name in
            guard name.hasPrefix(station + "-"),
                  let data = files.contents(atPath: folder.appendingPathComponent(name).appendingPathComponent(Backup.manifestName).path),
                  let manifest = try? JSONDecoder().decode(Backup.Manifest.self, from: data)
            else { return false }
            return manifest.station == station
        }
        let old = ours.dropLast(count)
        for name in old { try files.removeItem(at: folder.appendingPathComponent(name)) }
        return old.map { folder.appendingPathComponent($0).path }
    }

    struct BackupJSON: Encodable {
        var path: String
        var ops: Int
        var journalBytes: UInt64
        var digest: String
        var removed: [String]
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "把一份备份恢复到一个新的（或空的）数据目录，恢复前后都会校验。")

    @Argument(help: "yishi backup 生成的一份备份，或放备份的目录（如 /var/backups/yishi：列出其中的备份）。") var backup: String
    @Flag(help: "给的是放备份的目录时，恢复其中最新的、校验无误的一份。") var latest = false
    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let directory = try data.directory
        let (chosen, manifest) = try Output.longWork(
            json: output.json,
            kept: "目标目录 \(directory.url.path) 没有改动（做了一半的 .restoring 副本已删除），备份本身也没有改动。"
        ) { progress in
            let chosen = try choose(URL(fileURLWithPath: backup), into: directory, progress: progress)
            return (chosen, try Backup.restore(from: chosen, into: directory, progress: progress))
        }
        if output.json {
            Output.printJSON(["dataDirectory": directory.url.path, "station": manifest.station, "digest": manifest.digest,
                              "ops": String(manifest.ops), "made": manifest.made])
            return
        }
        if chosen.path != URL(fileURLWithPath: backup).path { print("选用了 \(backup) 里最新的一份：\(chosen.lastPathComponent)") }
        print("已把 \(manifest.made) 的备份恢复到 \(directory.url.path)：站点 \(manifest.station)，\(manifest.ops) 条修改，摘要 \(manifest.digest)，已校验。")
        if manifest.station == "central" {
            print("中心已恢复。各站点下次同步时，会把中心在备份之后丢失的修改重新上传。")
        } else {
            print("本站下次与中心同步时，会先取回备份之后已上传到中心的本站修改；同步成功之前不能录入。")
            print("若旧设备的硬盘还能读，且上面有从未同步的修改，请改用“更换站点设备”的步骤（见 README）。")
        }
    }

    /// The backup to restore: the one named, or — named a folder of backups, as someone
    /// replacing a dead box at night will — the newest sound one with `--latest`, and
    /// otherwise the list, to pick from.
    private func choose(_ url: URL, into directory: DataDirectory, progress: @escaping ProgressReport) throws -> URL {
        guard let found = try Backup.backups(in: url, progress: progress) else { return url }
        guard !found.isEmpty else {
            throw CommandError("\(url.path) 不是 Yishi 备份，里面也没有备份（每份备份是一个带 \(Backup.manifestName) 的子目录）。"
                + "请指向 yishi backup 生成的那个目录，或 yishi backup --to 用过的目录。")
        }
        if latest {
            guard let newest = found.filter({ $0.manifest != nil }).max(by: { $0.manifest!.made < $1.manifest!.made }) else {
                throw CommandError("\(url.path) 里的 \(found.count) 份备份都不能用：\n" + Self.listing(found))
            }
            return newest.url
        }
        let example = found.first { $0.manifest != nil } ?? found[0]
        throw CommandError("""
            \(url.path) 是放备份的目录，其中有 \(found.count) 份备份（新的在前）：
            \(Self.listing(found))
            请指明恢复哪一份，例如：
              yishi restore \(example.url.path) --data \(directory.url.path)
            或加 --latest 恢复最新的、校验无误的一份。
            """)
    }

    static func listing(_ found: [Backup.Found]) -> String {
        found.map { backup in
            guard let manifest = backup.manifest else { return "  \(backup.url.lastPathComponent)  不能用：\(backup.problem ?? "")" }
            let made = ISO8601DateFormatter().date(from: manifest.made)
                .map { WallTime(milliseconds: Int64($0.timeIntervalSince1970 * 1000)).beijingMinutes } ?? manifest.made
            return "  \(backup.url.lastPathComponent)  站点 \(manifest.station)  \(made)  \(manifest.ops) 条修改  已逐个文件校验"
        }.joined(separator: "\n")
    }
}
