import ArgumentParser
import Foundation
import YishiCentral
import YishiStore
import YishiSync
import YishiTrust

/// `yishi trust`: what this station trusts to tell its community's records from forgeries —
/// the street's public key it pinned and the directory of origins and keys the street signed.
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust", abstract: "本站信任的街道公钥和站点名录（用来核实每条修改确是它的来源写的）。",
        subcommands: [Show.self, Pin.self, Load.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示本站保存的街道公钥和站点名录。")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let trust = try data.open().trust()
            if output.json {
                Output.printJSON(["street": trust.street ?? "", "serial": String(trust.directory?.serial ?? 0),
                                  "origins": trust.directory?.origins.map(\.origin.rawValue).joined(separator: ",") ?? ""])
                return
            }
            guard let street = trust.street else {
                print("本站还没有保存街道公钥：首次通过 HTTPS 与中心同步时会自动保存，也可以用 yishi trust pin 街道公钥 填入（街道工作台“站点”页上有）。")
                print("在此之前，本站不能导入别的站点导出的文件。")
                return
            }
            print("街道公钥：\(street)")
            guard let directory = trust.directory else {
                print("还没有街道签发的站点名录：与中心同步一次即可取得。")
                return
            }
            print("站点名录：社区 \(directory.community)，第 \(directory.serial) 版；街道密钥 \(directory.street.count) 把")
            for entry in directory.origins {
                let keys = entry.keys.map { key in
                    String(key.key.prefix(12)) + "…" + (key.through.map { "（停用，只认第 \($0) 条及以前）" } ?? "")
                }.joined(separator: "、")
                let legacy: String = switch entry.legacy {
                case .unsigned: "，尚未签名（旧版本）"
                case .through(let last): last > 0 ? "，第 \(last) 条及以前写于签名之前" : ""
                case nil: ""
                }
                print("  \(entry.origin)：\(keys.isEmpty ? "无密钥（由街道代签）" : keys)\(legacy)")
            }
        }
    }

    struct Pin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pin", abstract: "保存街道公钥（yishi setup central 打印的、街道工作台“站点”页上的那一行）。")
        @OptionGroup var data: DataOptions
        @Argument(help: "街道公钥。") var key: String

        func run() throws {
            try data.open().pinStreetKey(key.trimmingCharacters(in: .whitespacesAndNewlines))
            print("已保存街道公钥。本站之后只接受由这把公钥（或经它交接的新公钥）签发的站点名录。")
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load", abstract: "从文件读入街道签发的站点名录（街道用 yishi central directory 导出，没有网络的站点用 U 盘带来）。")
        @OptionGroup var data: DataOptions
        @Argument(help: "站点名录文件。") var file: String

        func run() throws {
            guard let text = FileManager.default.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) }),
                  let signed = SignedDirectory(jsonText: text)
            else { throw CommandError("读不懂文件 \(file)：它应是街道用 yishi central directory 导出的站点名录。没有做任何改动。") }
            let replica = try data.open()
            guard try replica.trust().street != nil else {
                throw CommandError("本站还没有保存街道公钥，无法核实这份名录。请先运行 yishi trust pin 街道公钥。没有做任何改动。")
            }
            if try replica.adopt(signed) {
                print("已采用站点名录第 \(try replica.trust().directory?.serial ?? 0) 版。")
            } else {
                print("本站的站点名录已经是这一版或更新的，没有改动。")
            }
        }
    }
}

extension CentralCommand {
    /// `yishi central street-key`: the street's public key stations pin, and its rotation.
    struct StreetKeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "street-key", abstract: "街道签名密钥：显示各站点要保存的公钥，或换一把新密钥。",
            subcommands: [Show.self, Rotate.self], defaultSubcommand: Show.self)

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "显示各站点要保存的街道公钥。")
            @OptionGroup var data: DataOptions
            @Option(help: "街道签名密钥文件（默认是数据目录里的 street.key）。") var streetKey: String?

            func run() throws {
                let key = try StreetKey.load(from: streetKey.map(URL.init(fileURLWithPath:)) ?? StreetKey.url(in: data.centralDirectory.url))
                print(key.pinnedKey)
                if key.chain.count > 1 { print("（已换过 \(key.chain.count - 1) 次密钥；现用的公钥：\(key.signing.publicKey)）") }
            }
        }

        struct Rotate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rotate", abstract: "换一把新的街道签名密钥：旧密钥为新密钥签名交接，各站点同步时自动接受，不必重新保存公钥。")
            @OptionGroup var data: DataOptions
            @OptionGroup var database: DatabaseOptions
            @Option(help: "街道签名密钥文件（默认是数据目录里的 street.key）。") var streetKey: String?

            func run() async throws {
                let url = try streetKey.map(URL.init(fileURLWithPath:)) ?? StreetKey.url(in: data.centralDirectory.url)
                let rotated = try StreetKey.load(from: url).rotated(at: url)
                try await database.withStations(data) { try await $0.raiseSerial() }
                print("已换新的街道签名密钥（\(url.path)），新公钥：\(rotated.signing.publicKey)")
                print("各站点保存的仍是原来的街道公钥 \(rotated.pinnedKey)，同步时会自动接受新密钥。")
                print("请重启中心服务；共用数据库的多个中心进程，请把这个文件复制到每一台再重启。")
            }
        }
    }

    /// `yishi central directory`: a community's directory as a file, for a station with no
    /// network (it reads it with `yishi trust load`).
    struct DirectoryCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "directory", abstract: "导出某个社区的站点名录（街道签名），供没有网络的站点用 yishi trust load 读入。")
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions
        @Option(help: "社区编号，例如 HL3。") var community: String
        @Option(help: "写到这个文件。") var to: String
        @Option(help: "街道签名密钥文件（默认是数据目录里的 street.key）。") var streetKey: String?

        func run() async throws {
            let url = try streetKey.map(URL.init(fileURLWithPath:)) ?? StreetKey.url(in: data.centralDirectory.url)
            let street = try StreetKey.load(from: url)
            let signed: SignedDirectory
            if let opened = try await database.open() {
                do {
                    let directories = CentralDirectory(street: street, stations: opened.stations) { origin, key in
                        try await opened.log.checkpointReach(origin: origin, key: key.rawValue)
                    }
                    signed = try await directories.directory(for: community).signed
                    await opened.close()
                } catch {
                    await opened.close()
                    throw error
                }
            } else {
                let node = try CentralNode.open(data.centralDirectory)
                signed = try await CentralServer(node: node).directories.directory(for: community).signed
            }
            do {
                try Data((signed.json + "\n").utf8).write(to: URL(fileURLWithPath: to), options: .atomic)
            } catch {
                throw CommandError("无法写入 \(to)：\(error.localizedDescription)。")
            }
            print("已导出社区 \(community) 的站点名录到 \(to)。在站点上运行 yishi trust load \(to) 读入。")
        }
    }
}
