/// An op that cannot be merged. Says what is wrong in words a community worker can pass on.
public struct MergeError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case dotReused(Dot)
        case kindMismatch(record: String, field: String, existing: FieldKind, incoming: FieldKind)
        case missingSentence(record: String, field: String, sentence: SegmentID, dot: Dot)
    }

    private let reason: Reason

    public static func dotReused(_ dot: Dot) -> MergeError { MergeError(reason: .dotReused(dot)) }

    public static func kindMismatch(record: String, field: String, existing: FieldKind, incoming: FieldKind) -> MergeError {
        MergeError(reason: .kindMismatch(record: record, field: field, existing: existing, incoming: incoming))
    }

    public static func missingSentence(record: String, field: String, sentence: SegmentID, dot: Dot) -> MergeError {
        MergeError(reason: .missingSentence(record: record, field: field, sentence: sentence, dot: dot))
    }

    /// Whether the refusal is about `op` (a view that sets an op aside goes on without it).
    public func concerns(_ op: Op) -> Bool {
        switch reason {
        case .dotReused(let dot), .missingSentence(_, _, _, let dot): op.dot == dot
        case .kindMismatch(let record, let field, _, let incoming): op.record == record && op.field == field && op.kind == incoming
        }
    }

    public var description: String {
        switch reason {
        case .dotReused(let dot):
            "编号为 \(dot) 的修改已经存在，但内容不同。同一编号只能对应一次修改，这份数据可能被篡改或来自重建过的站点；未做任何更改，请联系技术支持核对来源。"
        case .kindMismatch(let record, let field, let existing, let incoming):
            "记录 \(record) 的字段 \(field) 是 \(existing.rawValue) 类型，收到的修改却是 \(incoming.rawValue) 类型；未做任何更改，请确认双方使用同一版本的 yishi。"
        case .missingSentence(let record, let field, let sentence, let dot):
            "修改 \(dot) 引用了记录 \(record) 字段 \(field) 中不存在的句子 \(sentence)；这条修改已损坏，未做任何更改。"
        }
    }
}
