import YishiMerge
import YishiModel

/// One line of a record's history: when, where, who, what.
public enum HistoryText {
    public static func line(_ op: Op) -> String {
        let type = Schema.type(ofRecord: op.record)
        let label = type?.field(op.field)?.label ?? op.field
        return "\(op.wallTime.beijingMinutes)  站点 \(op.dot.replica)  \(op.author)  \(label)：\(summary(op.change, record: op.record))"
    }

    public static func summary(_ change: Change, record: String) -> String {
        switch change {
        case .register(let value): value.map { "改为“\($0)”" } ?? "清空"
        case .set(let added, let removed):
            (added.map { "加入“\($0)”" } + removed.map { "移除“\($0)”" }).joined(separator: "，")
        case .text(let edits): "修改了 \(edits.count) 处句子"
        case .entry(let key, let value): "\(key.split(separator: "|").last.map(String.init) ?? key) \(value ?? "撤回")"
        case .status(let status):
            "→ " + (Schema.type(ofRecord: record)?.workflow?.label(of: status.name) ?? status.name)
        }
    }
}
