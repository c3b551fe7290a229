import ArgumentParser
import YishiMerge
import YishiModel

/// A record and one of its fields, checked against the schema before anything is made.
struct RecordTarget {
    var record: String
    var type: RecordType
    var field: FieldSpec

    init(record: String, field: String, expecting rules: Set<FieldRule>) throws {
        let (type, spec) = try Schema.field(ofRecord: record, named: field)
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
