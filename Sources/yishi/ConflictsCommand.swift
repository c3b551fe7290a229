import ArgumentParser
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore

struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "列出所有需要人来确认的冲突：哪几个站点、谁、什么时候各写了什么。")

    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let conflicts = try data.open().conflicts()
        if output.json {
            Output.printJSON(conflicts.map(ConflictJSON.init))
            return
        }
        guard !conflicts.isEmpty else {
            print("没有冲突。")
            return
        }
        print("共有 \(conflicts.count) 处冲突：\n")
        for (index, conflict) in conflicts.enumerated() {
            print(ConflictText.describe(conflict, number: index + 1, together: Deliberation.settledTogether(with: conflict, among: conflicts)))
        }
    }
}

struct ConflictJSON: Encodable {
    var record: String
    var field: String
    var kind: String
    var key: String
    var sentence: Int?
    var sides: [ValueJSON]
    var shown: String?

    init(_ conflict: Conflict) {
        record = conflict.record
        field = conflict.field
        kind = conflict.kind.rawValue
        key = conflict.key
        sentence = conflict.sentenceNumber
        sides = conflict.sides.map { ValueJSON($0, label: conflict.words(of: $0)) }
        shown = conflict.shown?.id.dot.description
    }
}

/// Describes a conflict the way a community worker would say it.
enum ConflictText {
    static func describe(_ conflict: Conflict, number: Int, together: [Conflict] = []) -> String {
        var place = conflict.place
        if conflict.kind == .entry { place += "中 \(conflict.key) 的一项" }
        var lines = ["\(number). \(place)有 \(conflict.sides.count) 个同时写下的版本："]
        for (index, side) in conflict.sides.enumerated() {
            let shown = side.id == conflict.shown?.id ? "（当前显示）" : ""
            lines.append("   [\(index + 1)] \(quoted(conflict.words(of: side))) — 站点 \(side.replica)，\(side.author) 录入，"
                + "\(side.wallTime.beijingMinutes)（该站时钟）\(shown)")
        }
        var resolve = "   确认办法：yishi record resolve \(conflict.record) \(conflict.field)"
        if conflict.kind == .text { resolve += " --sentence \(conflict.sentenceNumber ?? 0)" }
        if conflict.kind == .entry { resolve += " --key \(conflict.key)" }
        lines.append(resolve + " --pick 编号 --by 姓名")
        if conflict.kind != .text, !together.isEmpty {
            lines.append("   这是同一次修改造成的：选定后，\(together.map(\.place).joined(separator: "、"))也按同一边确定。")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static func quoted(_ content: String?) -> String {
        guard let content else { return "（已删除/清空）" }
        return "“\(content.trimmingCharacters(in: .newlines))”"
    }
}
