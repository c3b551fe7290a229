import Foundation

/// The one text form of an op: a single JSON line, used in the journal, in bundles and on
/// the wire. Keys are written in a fixed order, so encoding is canonical and an op's bytes
/// (and their hash) identify its content.
public enum OpCodec {
    public static func encode(_ op: Op) -> String {
        String(decoding: encodedBytes(op), as: UTF8.self)
    }

    /// The canonical line as UTF-8, without the newline. Written byte by byte rather
    /// than through string interpolation: it runs for every op a replica takes in.
    public static func encodedBytes(_ op: Op) -> [UInt8] {
        var line = LineWriter()
        line.raw("{\"dot\":\"")
        line.dot(op.dot)
        line.raw("\",\"lamport\":")
        line.number(op.lamport)
        line.raw(",\"deps\":{")
        for (index, entry) in op.deps.sortedEntries.enumerated() {
            if index > 0 { line.raw(",") }
            line.quoted(entry.replica.rawValue)
            line.raw(":")
            line.number(entry.counter)
        }
        line.raw("},\"scope\":")
        line.quoted(op.scope)
        line.raw(",\"record\":")
        line.quoted(op.record)
        line.raw(",\"field\":")
        line.quoted(op.field)
        line.raw(",\"author\":")
        line.quoted(op.author)
        line.raw(",\"wall\":\"")
        line.wallTime(op.wallTime)
        line.raw("\",\"schema\":")
        line.number(UInt64(op.schema))
        line.raw(",\"kind\":\"")
        line.text(op.kind.rawValue)
        line.raw("\"")
        switch op.change {
        case .register(let value):
            line.raw(",\"value\":")
            line.optional(value)
        case .entry(let key, let value):
            line.raw(",\"key\":")
            line.quoted(key)
            line.raw(",\"value\":")
            line.optional(value)
        case .status(let status):
            line.raw(",\"value\":")
            line.quoted(status.name)
            line.raw(",\"rank\":")
            line.text(String(status.rank))
            line.raw(",\"branch\":")
            line.quoted(status.branch)
        case .set(let added, let removed):
            line.raw(",\"add\":")
            line.list(added)
            line.raw(",\"remove\":")
            line.list(removed)
        case .text(let edits):
            line.raw(",\"edits\":[")
            for (index, edit) in edits.enumerated() {
                if index > 0 { line.raw(",") }
                switch edit {
                case .insert(let after, let text):
                    line.raw("{\"insert\":\"")
                    if let after { line.valueID(after) } else { line.raw("^") }
                    line.raw("\",\"text\":")
                    line.quoted(text)
                case .put(let segment, let text):
                    line.raw("{\"put\":\"")
                    line.valueID(segment)
                    line.raw("\",\"text\":")
                    line.optional(text)
                }
                line.raw("}")
            }
            line.raw("]")
        }
        line.raw("}")
        return line.bytes
    }

    /// Decodes one line, checking everything a merge relies on. Bytes that are not UTF-8,
    /// JSON that is cut short, an unknown field kind or another schema version each get
    /// their own message.
    public static func decode(_ bytes: some Collection<UInt8>) throws(OpDecodingError) -> Op {
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

/// Why a line is not an op, for a person to act on.
public struct OpDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case invalidUTF8, notJSON, schema(Int), unknownKind(String), missing(String), invalid(String), unexpected(String)
    }

    private let reason: Reason
    static let invalidUTF8 = OpDecodingError(reason: .invalidUTF8)
    static let notJSON = OpDecodingError(reason: .notJSON)
    static func schema(_ version: Int) -> Self { .init(reason: .schema(version)) }
    static func unknownKind(_ name: String) -> Self { .init(reason: .unknownKind(name)) }
    static func missing(_ key: String) -> Self { .init(reason: .missing(key)) }
    static func invalid(_ key: String) -> Self { .init(reason: .invalid(key)) }
    static func unexpected(_ key: String) -> Self { .init(reason: .unexpected(key)) }

    public var description: String {
        switch reason {
        case .invalidUTF8: "含有不是 UTF-8 编码的字节（文件可能损坏，或被其他软件以 GBK 等编码保存过）"
        case .notJSON: "不是完整的 JSON（可能被截断或损坏）"
        case .schema(let version):
            "数据格式版本是 \(version)，本程序只认识版本 \(Op.currentSchema)；请把两边的 yishi 升级到同一版本后再试"
        case .unknownKind(let name): "字段类型“\(name)”无法识别（只认识 register、set、text、entry、status）"
        case .missing(let key): "缺少“\(key)”"
        case .invalid(let key): "“\(key)”的值不正确"
        case .unexpected(let key): "含有无法识别的键“\(key)”"
        }
    }
}
