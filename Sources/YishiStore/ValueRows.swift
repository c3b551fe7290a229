import GRDB
import YishiMerge

/// Reads merge state out of SQLite into the merge module's own value types, so every view
/// (display winner, conflicts, documents) is computed by the same code as in memory.
enum ValueRows {
    static let columns = "replica, counter, idx, lamport, author, wall, content, rank, branch"

    /// The value in a row that starts with `columns`.
    static func value(_ row: RawStatement.Row) -> DottedValue {
        DottedValue(
            id: ValueID(dot: Dot(replica: ReplicaID(rawValue: row.text(0) ?? "")!, counter: UInt64(row.integer(1))),
                        index: UInt32(row.integer(2))),
            lamport: UInt64(row.integer(3)), author: row.text(4) ?? "",
            wallTime: WallTime(milliseconds: row.integer(5)), content: row.text(6),
            rank: Int(row.integer(7)), branch: row.text(8) ?? "")
    }

    /// The condition for one key of one field, for statements run once per op. `field` and
    /// `key` are compared with `CAST(? AS TEXT)`, not a bare `?`: the partial index
    /// `value_list_order` (`WHERE field = 'raisedOn' AND key = ''`) makes SQLite check a
    /// bare parameter's value against the index's condition, and then prepare the statement
    /// again whenever that value changes — once per op, which cut the apply rate to a fifth.
    /// The primary key is still used for the whole lookup.
    static let oneKey = "record = ? AND field = CAST(? AS TEXT) AND key = CAST(? AS TEXT)"

    static let atKey = "SELECT \(columns) FROM value WHERE \(oneKey)"

    /// The values at one key; on the apply path, so read through the C API.
    static func fetch(_ db: Database, record: String, field: String, key: String) throws -> [DottedValue] {
        try fetch(RawStatement(db, atKey), record: record, field: field, key: key)
    }

    /// The same with the statement `atKey` already prepared.
    static func fetch(_ statement: RawStatement, record: String, field: String, key: String) throws -> [DottedValue] {
        var values: [DottedValue] = []
        try statement.query(.text(record), .text(field), .text(key)) { row in values.append(value(row)) }
        return values
    }

    /// The text node in a row that starts with `replica, counter, idx, parent, lamport`.
    static func node(_ row: RawStatement.Row) -> TextNode {
        let id = ValueID(dot: Dot(replica: ReplicaID(rawValue: row.text(0) ?? "")!, counter: UInt64(row.integer(1))),
                         index: UInt32(row.integer(2)))
        let parent = row.text(3) ?? "^"
        return TextNode(id: id, parent: parent == "^" ? nil : SegmentID(Substring(parent)), lamport: UInt64(row.integer(4)))
    }

    /// The whole merged state of one field.
    static func fieldState(_ db: Database, record: String, field: String) throws -> FieldState? {
        guard let kindName = try String.fetchOne(
            db.cachedStatement(sql: "SELECT kind FROM field WHERE record = ? AND field = ?"), arguments: [record, field]),
            let kind = FieldKind(rawValue: kindName)
        else { return nil }
        var values: [String: [DottedValue]] = [:]
        try RawStatement(db, "SELECT \(columns), key FROM value WHERE record = ? AND field = CAST(? AS TEXT)").query(.text(record), .text(field)) { row in
            values[row.text(9) ?? "", default: []].append(value(row))
        }
        var nodes: [SegmentID: TextNode] = [:]
        try RawStatement(db, "SELECT replica, counter, idx, parent, lamport FROM segment WHERE record = ? AND field = ?")
            .query(.text(record), .text(field)) { row in
                let node = node(row)
                nodes[node.id] = node
            }
        return FieldState(kind: kind, values: values, nodes: nodes)
    }

    /// Every field (or the fields named in `only`) of each of `records`, in three queries
    /// per few hundred records, stepped through the C API: a community's figures read tens
    /// of thousands of values, where GRDB's copied rows cost more than SQLite's work.
    static func fieldStates(_ db: Database, records: [String], only: [String]? = nil) throws -> [String: [String: FieldState]] {
        // Field names are the schema's identifiers, written into the SQL as they are.
        let names = only.map { $0.filter { $0.allSatisfy { $0.isASCII && $0.isLetter } } }
        let fieldFilter = names.map { " AND field IN (" + $0.map { "'\($0)'" }.joined(separator: ",") + ")" } ?? ""
        var kinds: [String: [String: FieldKind]] = [:]
        var values: [String: [String: [String: [DottedValue]]]] = [:]
        var nodes: [String: [String: [SegmentID: TextNode]]] = [:]
        for (marks, arguments) in RawStatement.inLists(records) {
            try RawStatement(db, "SELECT record, field, kind FROM field WHERE record IN (\(marks))\(fieldFilter)").query(arguments) { row in
                if let kind = FieldKind(rawValue: row.text(2) ?? "") { kinds[row.text(0) ?? "", default: [:]][row.text(1) ?? ""] = kind }
            }
            try RawStatement(db, "SELECT \(columns), record, field, key FROM value WHERE record IN (\(marks))\(fieldFilter)").query(arguments) { row in
                values[row.text(9) ?? "", default: [:]][row.text(10) ?? "", default: [:]][row.text(11) ?? "", default: []].append(value(row))
            }
            try RawStatement(db, "SELECT replica, counter, idx, parent, lamport, record, field FROM segment WHERE record IN (\(marks))\(fieldFilter)")
                .query(arguments) { row in
                    let node = node(row)
                    nodes[row.text(5) ?? "", default: [:]][row.text(6) ?? "", default: [:]][node.id] = node
                }
        }
        var result: [String: [String: FieldState]] = [:]
        for (record, fields) in kinds {
            var states: [String: FieldState] = [:]
            for (field, kind) in fields {
                states[field] = FieldState(kind: kind, values: values[record]?[field] ?? [:], nodes: nodes[record]?[field] ?? [:])
            }
            result[record] = states
        }
        return result
    }
}
