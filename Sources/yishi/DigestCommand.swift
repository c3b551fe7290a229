import ArgumentParser
import YishiStore

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "合并后全部记录的摘要：两个站点看到同样的修改，摘要就完全相同。")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "只算某个社区的记录（与中心的 yishi central digest --scope 对照）。") var scope: String?

    func run() throws {
        let replica = try data.open()
        let digest = try scope.map { try replica.digest(scope: $0) } ?? replica.digest()
        if output.json {
            Output.printJSON(["digest": digest, "clock": try replica.clock().description])
        } else {
            print(digest)
        }
    }
}

struct ClockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock",
        abstract: "本站已有的修改进度（版本向量），可交给另一站点的 export --have 使用。")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let replica = try data.open()
        let clock = try replica.clock()
        if output.json {
            Output.printJSON(["clock": clock.description, "held": String(try replica.heldCount())])
        } else {
            print(clock.description)
        }
    }
}
