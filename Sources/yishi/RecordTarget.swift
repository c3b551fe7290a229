import ArgumentParser
import YishiMerge
import YishiModel

/// A record and one of its fields, checked against the schema before anything is made.
struct RecordTarget {
    var record: String
    var type: RecordType
    var field: FieldSpec

    init(record: String, field: String, expecting rules: Set<FieldRule>) throws {
        guard let type = Schema.type(ofRecord: record) else {
            let names = Schema.types.map { "\($0.name)（\($0.label)）" }.joined(separator: "、")
            throw CommandError("记录编号“\(record)”不对：应写成 类型/编号，例如 topic/HL3-01-2026-0017；类型可以是 \(names)。")
        }
        guard let spec = type.field(field) else {
            let names = type.fields.map { "\($0.name)（\($0.label)）" }.joined(separator: "、")
            throw CommandError("\(type.label)没有“\(field)”这一项；可用的有：\(names)。")
        }
        guard rules.contains(spec.rule) else {
            throw CommandError("“\(spec.label)”（\(field)）是\(Self.ruleName(spec.rule))，请用 yishi record \(Self.verb(spec.rule)) 修改。")
        }
        self.record = record
        self.type = type
        self.field = spec
    }

    static func ruleName(_ rule: FieldRule) -> String {
        switch rule {
        case .register: "单个值"
        case .set: "名单"
        case .text: "文字"
        case .entry: "每人一项（如表决、评价）"
        case .status: "状态"
        }
    }

    static func verb(_ rule: FieldRule) -> String {
        switch rule {
        case .register: "set"
        case .set: "add / remove"
        case .text: "write"
        case .entry: "entry"
        case .status: "status"
        }
    }
}
