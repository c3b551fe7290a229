import ArgumentParser
import Foundation
import YishiDeliberation
import YishiStore
import YishiSync

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "建立一个站点的数据目录。")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "站点编号，例如 HL3-01（每个小区站点唯一，之后不能更改）。") var station: String
    @Option(help: "社区编号，例如 HL3。") var community: String

    func run() throws {
        let replica = try Replica.create(at: data.directory, replica: station, community: community)
        // The key that signs this station's sync requests; its public half is enrolled at the central.
        let key = try StationKey.create(in: replica.directory.url)
        // The community's rules, explained, for the staff to adjust.
        try Data(RulesFile.defaultText.utf8).write(to: replica.directory.url.appendingPathComponent(RulesFile.fileName))
        if output.json {
            Output.printJSON(["dataDirectory": replica.directory.url.path, "station": station, "community": community])
        } else {
            print("已建立站点 \(station)（社区 \(community)），数据目录：\(replica.directory.url.path)")
            print("本站公钥（请交街道管理员用 yishi central enroll 登记）：\(key.publicKeyText)")
        }
    }
}
