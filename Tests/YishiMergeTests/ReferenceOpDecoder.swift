import Foundation
@testable import YishiMerge

/// The decoder as it was before it read bytes directly: Foundation's JSONSerialization and
/// then the same checks. Kept as the oracle the byte decoder is held to.
enum ReferenceOpDecoder {
    /// Decodes one line, checking everything a merge relies on. Bytes that are not UTF-8,
    /// JSON that is cut short, an unknown field kind or another schema version each get
    /// their own message.
    static func decode(_ bytes: some Collection<UInt8>) throws(OpDecodingError) -> Op {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
        } catch {
            throw .notJSON
        }
        guard let fields = object as? [String: Any] else { throw .notJSON }
        return try decode(fields)
    }

    private static let commonKeys: Set<String> = [
        "dot", "lamport", "deps", "scope", "record", "field", "author", "wall", "schema", "kind",
    ]
    private static let kindKeys: [FieldKind: Set<String>] = [
        .register: ["value"], .entry: ["key", "value"], .status: ["value", "rank", "branch"],
        .set: ["add", "remove"], .text: ["edits"],
    ]

    static func decode(_ fields: [String: Any]) throws(OpDecodingError) -> Op {
        guard let schema = integer(fields["schema"]) else { throw .missing("schema") }
        guard schema == Op.currentSchema else { throw .schema(Int(schema)) }
        guard let kindName = fields["kind"] as? String else { throw .missing("kind") }
        guard let kind = FieldKind(rawValue: kindName) else { throw .unknownKind(kindName) }
        let allowed = commonKeys.union(kindKeys[kind]!)
        if let stray = fields.keys.sorted().first(where: { !allowed.contains($0) }) { throw .unexpected(stray) }

        guard let dotText = fields["dot"] as? String, let dot = Dot(Substring(dotText)) else { throw .invalid("dot") }
        guard let lamport = integer(fields["lamport"]), lamport > 0 else { throw .invalid("lamport") }
        guard let depsObject = fields["deps"] as? [String: Any] else { throw .invalid("deps") }
        var deps = VersionVector()
        for (name, value) in depsObject {
            guard let replica = ReplicaID(rawValue: name), let counter = integer(value), counter > 0 else {
                throw .invalid("deps")
            }
            deps[replica] = UInt64(counter)
        }
        // An op can only depend on earlier ops of its own replica.
        guard deps[dot.replica] < dot.counter else { throw .invalid("deps") }
        guard let scope = nonEmpty(fields["scope"]) else { throw .invalid("scope") }
        guard let record = nonEmpty(fields["record"]) else { throw .invalid("record") }
        guard let field = nonEmpty(fields["field"]) else { throw .invalid("field") }
        guard let author = fields["author"] as? String else { throw .invalid("author") }
        guard let wallText = fields["wall"] as? String, let wall = WallTime(parsing: wallText) else {
            throw .invalid("wall")
        }
        let change = try decodeChange(kind, fields, dot: dot, deps: deps)
        return Op(
            dot: dot, lamport: UInt64(lamport), deps: deps, scope: scope, record: record, field: field,
            change: change, author: author, wallTime: wall, schema: Int(schema))
    }

    private static func decodeChange(
        _ kind: FieldKind, _ fields: [String: Any], dot: Dot, deps: VersionVector
    ) throws(OpDecodingError) -> Change {
        switch kind {
        case .register:
            return .register(try optionalString(fields, "value"))
        case .entry:
            guard let key = nonEmpty(fields["key"]) else { throw .invalid("key") }
            return .entry(key: key, value: try optionalString(fields, "value"))
        case .status:
            guard let name = nonEmpty(fields["value"]) else { throw .invalid("value") }
            guard let rank = integer(fields["rank"]) else { throw .invalid("rank") }
            guard let branch = fields["branch"] as? String else { throw .invalid("branch") }
            return .status(StatusValue(name: name, rank: Int(rank), branch: branch))
        case .set:
            guard let added = fields["add"] as? [String], let removed = fields["remove"] as? [String] else {
                throw .invalid("add/remove")
            }
            guard !added.isEmpty || !removed.isEmpty, Set(added).isDisjoint(with: removed),
                  Set(added).count == added.count, Set(removed).count == removed.count
            else { throw .invalid("add/remove") }
            return .set(add: added, remove: removed)
        case .text:
            guard let list = fields["edits"] as? [[String: Any]], !list.isEmpty else { throw .invalid("edits") }
            var edits: [TextEdit] = []
            for (index, item) in list.enumerated() {
                // A sentence may be referred to only if this op could have seen it: an
                // earlier insert of the same op, or an op in its causal context.
                func reference(_ text: String) throws(OpDecodingError) -> SegmentID {
                    guard let id = SegmentID(Substring(text)),
                          id.dot == dot ? Int(id.index) < index && isInsert(edits[Int(id.index)]) : deps.contains(id.dot)
                    else { throw .invalid("edits") }
                    return id
                }
                if let anchor = item["insert"] as? String, item.count == 2, let text = item["text"] as? String {
                    edits.append(.insert(after: anchor == "^" ? nil : try reference(anchor), text: text))
                } else if let target = item["put"] as? String, item.count == 2, item.keys.contains("text") {
                    edits.append(.put(try reference(target), try optionalString(item, "text")))
                } else {
                    throw .invalid("edits")
                }
            }
            return .text(edits)
        }
    }

    private static func isInsert(_ edit: TextEdit) -> Bool {
        if case .insert = edit { return true }
        return false
    }

    /// A whole JSON number. Booleans are refused by their dynamic type because
    /// Foundation on Linux bridges `true` to a number that `as? Int` accepts.
    private static func integer(_ value: Any?) -> Int64? {
        guard let value, String(describing: type(of: value)) != "__NSCFBoolean" else { return nil }
        return value as? Int64
    }

    private static func nonEmpty(_ value: Any?) -> String? {
        guard let text = value as? String, !text.isEmpty else { return nil }
        return text
    }

    private static func optionalString(_ fields: [String: Any], _ key: String) throws(OpDecodingError) -> String? {
        switch fields[key] {
        case is NSNull: return nil
        case let text as String: return text
        default: throw .invalid(key)
        }
    }
}
