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
    /// their own message. Any JSON that spells a valid op is accepted (key order, white
    /// space and escapes are free); the canonical line is only what `encode` writes.
    public static func decode(_ bytes: some Collection<UInt8>) throws(OpDecodingError) -> Op {
        let result = bytes.withContiguousStorageIfAvailable { decode(buffer: $0) }
            ?? Array(bytes).withUnsafeBufferPointer { decode(buffer: $0) }
        return try result.get()
    }

    private static func decode(buffer: UnsafeBufferPointer<UInt8>) -> Result<Op, OpDecodingError> {
        // Most lines are ASCII but for their Chinese text; check the bytes once here, so
        // every string read below may be taken as it is.
        if buffer.contains(where: { $0 >= 0x80 }), String(validating: buffer, as: UTF8.self) == nil {
            return .failure(.invalidUTF8)
        }
        let line: OpLine
        do {
            line = try OpLine(buffer)
        } catch {
            return .failure(.notJSON)
        }
        do {
            return .success(try line.op())
        } catch {
            return .failure(error)
        }
    }
}

/// What one line's keys hold, read in one pass before any rule is checked: a line that is
/// not JSON is refused as such whatever else is wrong with it, and the rules are checked in
/// one fixed order whatever the order of the keys.
private struct OpLine {
    typealias Value = JSONReader.Value

    /// An object or array the op needs, or `invalid` when the key held something else.
    enum Shaped<T> {
        case absent, invalid, value(T)
    }

    struct EditItem {
        var keys: [String] = []
        var insert: Value?
        var put: Value?
        var text: Value?
    }

    var schema: Value?, kind: Value?, dot: Value?, lamport: Value?, scope: Value?, record: Value?
    var field: Value?, author: Value?, wall: Value?, value: Value?, key: Value?, rank: Value?, branch: Value?
    var deps: Shaped<[(String, Value)]> = .absent
    var add: Shaped<[Value]> = .absent
    var remove: Shaped<[Value]> = .absent
    var edits: Shaped<[EditItem?]> = .absent
    /// The known keys present, as bits of `OpLine.names`, and any others by name: a set of
    /// strings per line cost more than all the rest of the checks.
    var present: UInt32 = 0
    var unknown: [String] = []

    /// Every key an op line may hold, in the order of their bits.
    static let names = [
        "dot", "lamport", "deps", "scope", "record", "field", "author", "wall", "schema", "kind",
        "value", "key", "rank", "branch", "add", "remove", "edits",
    ]
    private static let nameBytes = names.map { Array($0.utf8) }

    static func bit(_ key: JSONReader.Key) -> Int? {
        switch key {
        case .raw(let bytes):
            for (index, name) in nameBytes.enumerated() where name.count == bytes.count {
                if name.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) { return index }
            }
            return nil
        case .decoded(let text): return names.firstIndex(of: text)
        }
    }

    init(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONReader.Malformed) {
        var reader = JSONReader(buffer)
        try reader.rawMembers { (reader, name) throws(JSONReader.Malformed) in
            guard let bit = Self.bit(name) else {
                unknown.append(name.text)
                try reader.skipValue()
                return
            }
            present |= 1 << bit
            switch bit {
            case 0: dot = try reader.value()
            case 1: lamport = try reader.value()
            case 2: deps = try Self.object(&reader)
            case 3: scope = try reader.value()
            case 4: record = try reader.value()
            case 5: field = try reader.value()
            case 6: author = try reader.value()
            case 7: wall = try reader.value()
            case 8: schema = try reader.value()
            case 9: kind = try reader.value()
            case 10: value = try reader.value()
            case 11: key = try reader.value()
            case 12: rank = try reader.value()
            case 13: branch = try reader.value()
            case 14: add = try Self.list(&reader)
            case 15: remove = try Self.list(&reader)
            default: edits = try Self.edits(&reader)
            }
        }
        guard reader.atEnd() else { throw JSONReader.Malformed() }
    }

    private static func object(_ reader: inout JSONReader) throws(JSONReader.Malformed) -> Shaped<[(String, Value)]> {
        guard reader.peek() == 0x7B else {
            try reader.skipValue()
            return .invalid
        }
        var pairs: [(String, Value)] = []
        try reader.members { (reader, name) throws(JSONReader.Malformed) in pairs.append((name, try reader.value())) }
        return .value(pairs)
    }

    private static func list(_ reader: inout JSONReader) throws(JSONReader.Malformed) -> Shaped<[Value]> {
        guard reader.peek() == 0x5B else {
            try reader.skipValue()
            return .invalid
        }
        var items: [Value] = []
        try reader.elements { (reader) throws(JSONReader.Malformed) in items.append(try reader.value()) }
        return .value(items)
    }

    /// Each element an object of `insert`/`put` and `text`; an element that is no object is nil.
    private static func edits(_ reader: inout JSONReader) throws(JSONReader.Malformed) -> Shaped<[EditItem?]> {
        guard reader.peek() == 0x5B else {
            try reader.skipValue()
            return .invalid
        }
        var items: [EditItem?] = []
        try reader.elements { (reader) throws(JSONReader.Malformed) in
            guard reader.peek() == 0x7B else {
                try reader.skipValue()
                items.append(nil)
                return
            }
            var item = EditItem()
            try reader.members { (reader, name) throws(JSONReader.Malformed) in
                if !item.keys.contains(name) { item.keys.append(name) }
                switch name {
                case "insert": item.insert = try reader.value()
                case "put": item.put = try reader.value()
                case "text": item.text = try reader.value()
                default: try reader.skipValue()
                }
            }
            items.append(item)
        }
        return .value(items)
    }

    /// The keys every op has (the first ten names), and those of each kind.
    private static let commonKeys: UInt32 = (1 << 10) - 1
    private static func kindKeys(_ kind: FieldKind) -> UInt32 {
        switch kind {
        case .register: 1 << 10
        case .entry: 1 << 10 | 1 << 11
        case .status: 1 << 10 | 1 << 12 | 1 << 13
        case .set: 1 << 14 | 1 << 15
        case .text: 1 << 16
        }
    }

    func op() throws(OpDecodingError) -> Op {
        guard case .integer(let schema) = schema else { throw .missing("schema") }
        guard schema == Op.currentSchema else { throw .schema(Int(schema)) }
        guard case .string(let kindName) = kind else { throw .missing("kind") }
        guard let kind = FieldKind(rawValue: kindName) else { throw .unknownKind(kindName) }
        let strays = present & ~(Self.commonKeys | Self.kindKeys(kind))
        if strays != 0 || !unknown.isEmpty {
            let names = unknown + Self.names.indices.filter { strays & 1 << $0 != 0 }.map { Self.names[$0] }
            throw .unexpected(names.min()!)
        }

        guard case .string(let dotText) = dot, let dot = Dot(Substring(dotText)) else { throw .invalid("dot") }
        guard case .integer(let lamport) = lamport, lamport > 0 else { throw .invalid("lamport") }
        guard case .value(let pairs) = deps else { throw .invalid("deps") }
        var deps = VersionVector()
        for (name, value) in pairs {
            guard let replica = ReplicaID(rawValue: name), case .integer(let counter) = value, counter > 0 else {
                throw .invalid("deps")
            }
            deps[replica] = UInt64(counter)
        }
        // An op can only depend on earlier ops of its own replica.
        guard deps[dot.replica] < dot.counter else { throw .invalid("deps") }
        guard let scope = Self.nonEmpty(scope) else { throw .invalid("scope") }
        guard let record = Self.nonEmpty(record) else { throw .invalid("record") }
        guard let field = Self.nonEmpty(field) else { throw .invalid("field") }
        guard case .string(let author) = author else { throw .invalid("author") }
        guard case .string(let wallText) = wall, let wall = WallTime(parsing: wallText) else { throw .invalid("wall") }
        let change = try change(kind, dot: dot, deps: deps)
        return Op(
            dot: dot, lamport: UInt64(lamport), deps: deps, scope: scope, record: record, field: field,
            change: change, author: author, wallTime: wall, schema: Int(schema))
    }

    private func change(_ kind: FieldKind, dot: Dot, deps: VersionVector) throws(OpDecodingError) -> Change {
        switch kind {
        case .register:
            return .register(try Self.optionalString(value, "value"))
        case .entry:
            guard let key = Self.nonEmpty(key) else { throw .invalid("key") }
            return .entry(key: key, value: try Self.optionalString(value, "value"))
        case .status:
            guard let name = Self.nonEmpty(value) else { throw .invalid("value") }
            guard case .integer(let rank) = rank, let rank = Int(exactly: rank) else { throw .invalid("rank") }
            guard case .string(let branch) = branch else { throw .invalid("branch") }
            return .status(StatusValue(name: name, rank: rank, branch: branch))
        case .set:
            guard case .value(let addValues) = add, case .value(let removeValues) = remove,
                  let added = Self.strings(addValues), let removed = Self.strings(removeValues)
            else { throw .invalid("add/remove") }
            guard !added.isEmpty || !removed.isEmpty, Set(added).isDisjoint(with: removed),
                  Set(added).count == added.count, Set(removed).count == removed.count
            else { throw .invalid("add/remove") }
            return .set(add: added, remove: removed)
        case .text:
            guard case .value(let items) = edits, !items.isEmpty else { throw .invalid("edits") }
            var edits: [TextEdit] = []
            for (index, item) in items.enumerated() {
                // A sentence may be referred to only if this op could have seen it: an
                // earlier insert of the same op, or an op in its causal context.
                func reference(_ text: String) throws(OpDecodingError) -> SegmentID {
                    guard let id = SegmentID(Substring(text)),
                          id.dot == dot ? Int(id.index) < index && Self.isInsert(edits[Int(id.index)]) : deps.contains(id.dot)
                    else { throw .invalid("edits") }
                    return id
                }
                guard let item, item.keys.count == 2 else { throw .invalid("edits") }
                if case .string(let anchor) = item.insert, case .string(let text) = item.text {
                    edits.append(.insert(after: anchor == "^" ? nil : try reference(anchor), text: text))
                } else if case .string(let target) = item.put, item.text != nil {
                    edits.append(.put(try reference(target), try Self.optionalString(item.text, "edits")))
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

    private static func nonEmpty(_ value: Value?) -> String? {
        guard case .string(let text) = value, !text.isEmpty else { return nil }
        return text
    }

    private static func strings(_ values: [Value]) -> [String]? {
        var result: [String] = []
        result.reserveCapacity(values.count)
        for value in values {
            guard case .string(let text) = value else { return nil }
            result.append(text)
        }
        return result
    }

    private static func optionalString(_ value: Value?, _ key: String) throws(OpDecodingError) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
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
