import GRDB
import YishiMerge

/// Reads merge state out of SQLite into the merge module's own value types, so every view
/// (display winner, conflicts, documents) is computed by the same code as in memory.
enum ValueRows {
    static let columns = "replica, counter, idx, lamport, author, wall, content, rank, branch"

    static func value(_ row: Row, from start: Int = 0) -> DottedValue {
        DottedValue(
            id: ValueID(dot: Dot(replica: ReplicaID(rawValue: row[start])!, counter: UInt64(row[start + 1] as Int64)),
                        index: UInt32(row[start + 2] as Int64)),
            lamport: UInt64(row[start + 3] as Int64), author: row[start + 4],
            wallTime: WallTime(milliseconds: row[start + 5]), content: row[start + 6],
            rank: row[start + 7], branch: row[start + 8])
    }

    /// The values at one key; on the apply path, so read through the C API.
    static func fetch(_ db: Database, record: String, field: String, key: String) throws -> [DottedValue] {
        var values: [DottedValue] = []
        try RawStatement(db, "SELECT \(columns) FROM value WHERE record = ? AND field = ? AND key = ?")
            .query(.text(record), .text(field), .text(key)) { row in
                values.append(DottedValue(
                    id: ValueID(dot: Dot(replica: ReplicaID(rawValue: row.text(0)!)!, counter: UInt64(row.integer(1))),
                                index: UInt32(row.integer(2))),
                    lamport: UInt64(row.integer(3)), author: row.text(4) ?? "",
                    wallTime: WallTime(milliseconds: row.integer(5)), content: row.text(6),
                    rank: Int(row.integer(7)), branch: row.text(8) ?? ""))
            }
        return values
    }

    static func node(_ row: Row, from start: Int = 0) -> TextNode {
        let id = ValueID(dot: Dot(replica: ReplicaID(rawValue: row[start])!, counter: UInt64(row[start + 1] as Int64)),
                         index: UInt32(row[start + 2] as Int64))
        let parent: String = row[start + 3]
        return TextNode(id: id, parent: parent == "^" ? nil : SegmentID(Substring(parent)), lamport: UInt64(row[start + 4] as Int64))
    }

    /// The whole merged state of one field.
    static func fieldState(_ db: Database, record: String, field: String) throws -> FieldState? {
        guard let kindName = try String.fetchOne(
            db.cachedStatement(sql: "SELECT kind FROM field WHERE record = ? AND field = ?"), arguments: [record, field]),
            let kind = FieldKind(rawValue: kindName)
        else { return nil }
        var values: [String: [DottedValue]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT key, \(columns) FROM value WHERE record = ? AND field = ?"),
                                    arguments: [record, field]) {
            values[row[0], default: []].append(value(row, from: 1))
        }
        var nodes: [SegmentID: TextNode] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT replica, counter, idx, parent, lamport FROM segment WHERE record = ? AND field = ?"),
                                    arguments: [record, field]) {
            let node = node(row)
            nodes[node.id] = node
        }
        return FieldState(kind: kind, values: values, nodes: nodes)
    }

    /// Every field (or the fields named in `only`) of each of `records`, in three queries
    /// per few hundred records.
    static func fieldStates(_ db: Database, records: [String], only: [String]? = nil) throws -> [String: [String: FieldState]] {
        // Field names are the schema's identifiers, written into the SQL as they are.
        let names = only.map { $0.filter { $0.allSatisfy { $0.isASCII && $0.isLetter } } }
        let fieldFilter = names.map { " AND field IN (" + $0.map { "'\($0)'" }.joined(separator: ",") + ")" } ?? ""
        var kinds: [String: [String: FieldKind]] = [:]
        var values: [String: [String: [String: [DottedValue]]]] = [:]
        var nodes: [String: [String: [SegmentID: TextNode]]] = [:]
        for chunk in stride(from: 0, to: records.count, by: 500).map({ Array(records[$0..<min($0 + 500, records.count)]) }) {
            let marks = chunk.map { _ in "?" }.joined(separator: ",")
            let arguments = StatementArguments(chunk)
            for row in try Row.fetchAll(db, sql: "SELECT record, field, kind FROM field WHERE record IN (\(marks))\(fieldFilter)", arguments: arguments) {
                if let kind = FieldKind(rawValue: row[2]) { kinds[row[0], default: [:]][row[1]] = kind }
            }
            for row in try Row.fetchAll(db, sql: "SELECT record, field, key, \(ValueRows.columns) FROM value WHERE record IN (\(marks))\(fieldFilter)",
                                           arguments: arguments) {
                values[row[0], default: [:]][row[1], default: [:]][row[2], default: []].append(ValueRows.value(row, from: 3))
            }
            for row in try Row.fetchAll(db, sql: "SELECT record, field, replica, counter, idx, parent, lamport FROM segment WHERE record IN (\(marks))\(fieldFilter)",
                                           arguments: arguments) {
                let node = ValueRows.node(row, from: 2)
                nodes[row[0], default: [:]][row[1], default: [:]][node.id] = node
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
