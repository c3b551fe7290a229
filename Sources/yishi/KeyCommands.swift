import ArgumentParser
import Foundation
import YishiSync

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "本站的签名密钥：打印公钥（交街道管理员登记），或换一把新密钥。",
        subcommands: [Show.self, Rotate.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "打印本站公钥，交给街道管理员登记。")
        @OptionGroup var data: DataOptions

        func run() throws {
            let folder = try data.directory.url
            print(try StationKey.load(from: folder).publicKeyText)
            if let next = try StationKey.loadNext(from: folder) {
                print("（另有一把待登记的新密钥，公钥：\(next.publicKeyText)）")
            }
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate", abstract: "生成新密钥：旧密钥继续有效，直到中心登记了新公钥，之后自动改用新密钥。")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let folder = try data.directory.url
            let station = try data.open().station
            _ = try StationKey.load(from: folder)
            let (next, isNew) = try StationKey.createNext(in: folder)
            if output.json {
                Output.printJSON(["station": station, "publicKey": next.publicKeyText, "new": String(isNew)])
                return
            }
            print(isNew ? "已生成新密钥。" : "已有一把待登记的新密钥（没有再生成）。")
            print("请街道管理员登记新公钥：yishi central enroll --station \(station) --community 社区编号 --key \(next.publicKeyText)")
            print("在登记之前，本站同步仍用旧密钥；登记后的第一次同步起改用新密钥，旧密钥随即作废。")
        }
    }
}
