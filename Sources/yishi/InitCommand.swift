import ArgumentParser
import Foundation
import YishiDeliberation
import YishiMerge
import YishiStore
import YishiSync

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "建立一个站点的数据目录（换新设备时用 --from-central 从中心取回本社区的记录）。")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "站点编号，例如 HL3-01（每个小区站点唯一，之后不能更改）。") var station: String
    @Option(help: "社区编号，例如 HL3。") var community: String
    @Option(help: "更换设备或重建站点：从这个中心取回本社区的全部记录，例如 https://10.0.0.5:8443。") var fromCentral: String?
    @Option(help: "验证中心证书用的 CA 文件（同站点配置的 ca_file）。") var caFile: String?
    @Flag(help: "允许用不加密的 http:// 连本机以外的中心（同站点配置的 allow_plain_http）。") var allowPlainHttp = false

    func run() throws {
        if let url = fromCentral { return try initFromCentral(url) }
        let (replica, key) = try Self.makeStation(at: data.directory, station: station, community: community)
        if output.json {
            Output.printJSON(["dataDirectory": replica.directory.url.path, "station": station, "community": community])
        } else {
            print("已建立站点 \(station)（社区 \(community)），数据目录：\(replica.directory.url.path)")
            print("本站公钥（请交街道管理员用 yishi central enroll 登记）：\(key.publicKeyText)")
        }
    }

    /// A new station's data directory: the replica, the key that signs its sync requests
    /// (its public half is enrolled at the central), and the community's rules.
    static func makeStation(at directory: DataDirectory, station: String, community: String,
                            communityName: String? = nil) throws -> (Replica, StationKey) {
        let replica = try Replica.create(at: directory, replica: station, community: community)
        let key = try StationKey.create(in: replica.directory.url)
        try writeRules(replica, communityName: communityName)
        return (replica, key)
    }

    /// The community's rules, explained, for the staff to adjust.
    static func writeRules(_ replica: Replica, communityName: String? = nil) throws {
        let text = communityName.map { ConfigFile.setting([("community_name", ConfigFile.quoted($0))], in: RulesFile.defaultText) }
            ?? RulesFile.defaultText
        try Data(text.utf8).write(to: replica.directory.url.appendingPathComponent(RulesFile.fileName))
    }

    /// A box made from the central: first run, it makes its key and says what the office
    /// must enroll; run again once enrolled, it asks the central which replica id it writes
    /// under (a new one when it replaces a box, so it never reuses the old box's dots),
    /// makes the replica, and pulls the community's records, the old box's included.
    private func initFromCentral(_ url: String) throws {
        if let problem = CentralAddress.problem(url, allowPlainHTTP: allowPlainHttp) { throw CommandError(problem) }
        let directory = try data.directory
        let files = FileManager.default
        if files.fileExists(atPath: directory.journal.path) || files.fileExists(atPath: directory.database.path) {
            throw CommandError("“\(directory.url.path)”已经是一个 Yishi 数据目录，没有做任何改动。若要继续取回记录，请运行 yishi sync --once。")
        }
        guard ReplicaID.isValid(station), ReplicaID.isValid(community) else {
            throw CommandError("站点编号和社区编号只能用英文字母、数字、点、下划线和连字符，例如 HL3-01、HL3。")
        }
        do {
            try files.createDirectory(at: directory.url, withIntermediateDirectories: true)
        } catch {
            throw CommandError("无法建立数据目录 \(directory.url.path)：\(FileProblem.describe(error))。")
        }
        // The key survives a first run that stopped at enrollment: the office enrolls this one.
        let key = files.fileExists(atPath: directory.url.appendingPathComponent(StationKey.fileName).path)
            ? try StationKey.load(from: directory.url) : try StationKey.create(in: directory.url)
        var configuration = CurlClient.Configuration()
        configuration.caFile = caFile
        let client = CurlClient(configuration: configuration)
        // Sequences only need to rise; the clock starts this box's above anything before.
        let sequence = UInt64(Date().timeIntervalSince1970 * 1000)
        let hello: WireFormat.Hello
        do {
            hello = try SyncSession.hello(client: client, central: url, station: station, key: key, sequence: sequence)
        } catch .refused(let reason) {
            throw CommandError("""
                中心还不认这台设备：\(reason)
                请街道管理员登记本机的公钥（换新设备时加 --new-box）：
                  yishi central enroll --station \(station) --community \(community) --key \(key.publicKeyText) --new-box
                登记后再运行一次这条命令。
                """)
        } catch {
            throw CommandError("连不上中心 \(url)：\(error.message)。数据目录里只留下了本机密钥；联网后再运行一次这条命令。")
        }
        guard hello.station == station, hello.community == community else {
            throw CommandError("中心登记的是站点 \(hello.station)（社区 \(hello.community)），与这里给的 \(station)（\(community)）不符，没有建立数据目录。")
        }
        let replica = try Replica.create(at: directory, replica: hello.replica, community: community, station: station)
        try Self.writeRules(replica)
        try replica.setNumber("request_sequence", atLeast: sequence)
        for former in hello.former {
            if let id = ReplicaID(rawValue: former.replica) { try replica.handOn(id, have: former.have) }
        }
        let session = try SyncSession(replica: replica, client: client, central: url)
        let report = try SyncCommand.run(
            session, json: output.json,
            kept: "数据目录已建立（副本编号 \(hello.replica)），已取回的记录都已保存；请运行 yishi sync --once 取回其余的。"
        ) { reason in
            "已建立数据目录（副本编号 \(hello.replica)），但从中心取回记录时中断：\(reason)。请运行 yishi sync --once 继续取回。"
        }
        if output.json {
            Output.printJSON(["dataDirectory": directory.url.path, "station": station, "community": community,
                              "replica": hello.replica, "pulled": String(report.pulled)])
            return
        }
        print("已建立站点 \(station)（社区 \(community)），副本编号 \(hello.replica)，从中心取回 \(report.pulled) 条修改。")
        if !hello.former.isEmpty {
            let names = hello.former.map(\.replica).joined(separator: "、")
            print("这是替换设备：原设备 \(names) 已同步到中心的修改都已取回。若原设备硬盘还能读，可用")
            print("  yishi export --data 原数据目录 --to 恢复.yishi  然后在本机 yishi import 恢复.yishi")
            print("找回它从未同步的修改，本机下次同步时会上传。")
        }
    }
}
