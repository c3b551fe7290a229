import ArgumentParser
import YishiMerge
import YishiModel
import YishiStore

extension RecordCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示一条记录的全部字段，冲突处会标出。")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: OutputOptions
        @Argument var record: String

        func run() throws {
            let fields = try data.open().fields(ofRecord: record)
            guard !fields.isEmpty else { throw CommandError("找不到记录“\(record)”。可用 yishi record list 查看已有的记录。") }
            let type = Schema.type(ofRecord: record)
            let order = (type?.fields.map(\.name) ?? []) + fields.keys.sorted()
            var seen: Set<String> = []
            let names = order.filter { fields[$0] != nil && seen.insert($0).inserted }
            if output.json {
                Output.printJSON(names.map { FieldJSON(name: $0, state: fields[$0]!, record: record) })
                return
            }
            print("\(type?.label ?? "记录") \(record)")
            for name in names {
                let label = type?.field(name)?.label ?? name
                print(FieldText.describe(label: label, state: fields[name]!, record: record, field: name))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出记录。")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "只列某一类，如 topic。") var type: String?

        func run() throws {
            let replica = try data.open()
            let records = try replica.records(ofType: type)
            if output.json {
                Output.printJSON(records)
                return
            }
            if records.isEmpty { print("还没有记录。") }
            for record in records {
                let title = try replica.fieldState(record: record, field: "title")?.resolution(at: "").shown?.content
                print(record + (title.map { "  \($0)" } ?? ""))
            }
        }
    }
}

/// A field as the JSON output shows it.
struct FieldJSON: Encodable {
    var name: String
    var kind: String
    var value: String?
    var elements: [String]?
    var entries: [String: String?]?
    var conflicts: [ConflictJSON]

    init(name: String, state: FieldState, record: String) {
        self.name = name
        kind = state.kind.rawValue
        switch state.kind {
        case .register, .status: value = state.resolution(at: "").shown?.content
        case .text: value = state.document.text
        case .set: elements = state.elements
        case .entry:
            entries = Dictionary(uniqueKeysWithValues: state.values.keys.map { ($0, state.resolution(at: $0).shown?.content) })
        }
        conflicts = state.conflicts(record: record, field: name).map(ConflictJSON.init)
    }
}

/// A field as a person reads it.
enum FieldText {
    static func describe(label: String, state: FieldState, record: String, field: String) -> String {
        let conflicts = state.conflicts(record: record, field: field)
        let warning = conflicts.isEmpty ? "" : "  ⚠ 有 \(conflicts.count) 处冲突待确认（yishi conflicts）"
        switch state.kind {
        case .register, .status:
            let shown = state.resolution(at: "").shown?.content ?? "（空）"
            let value = state.kind == .status ? statusLabel(shown, record: record) : shown
            return "  \(label)：\(value)\(warning)"
        case .set:
            let elements = state.elements
            return "  \(label)：\(elements.isEmpty ? "（无）" : elements.joined(separator: "、"))\(warning)"
        case .entry:
            let keys = state.values.keys.sorted()
            let entries = keys.compactMap { key in state.resolution(at: key).shown?.content.map { "\(key) \($0)" } }
            return "  \(label)：\(entries.isEmpty ? "（无）" : entries.joined(separator: "；"))\(warning)"
        case .text:
            var lines = state.document.text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }
            let body = lines.map { "    " + $0 }.joined(separator: "\n")
            return "  \(label)：\(warning)\n\(body)"
        }
    }

    static func statusLabel(_ name: String, record: String) -> String {
        Schema.type(ofRecord: record)?.workflow?.status(name)?.label ?? name
    }
}
