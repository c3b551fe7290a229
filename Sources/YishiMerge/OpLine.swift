/// What one line's keys hold, read in one pass before any rule is checked: a line that is
/// not JSON is refused as such whatever else is wrong with it, and the rules are checked in
/// one fixed order whatever the order of the keys.
struct OpLine {
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
            // The one name a key can be, told by its length and a letter or two; then the
            // whole key is compared with it.
            guard bytes.count >= 3 else { return nil }
            let candidate: Int? = switch (bytes.count, bytes[0]) {
            case (3, 0x64): 0  // dot
            case (7, 0x6C): 1  // lamport
            case (4, 0x64): 2  // deps
            case (5, 0x73): 3  // scope
            case (6, 0x72): bytes[2] == 0x63 ? 4 : 15  // record, remove
            case (5, 0x66): 5  // field
            case (6, 0x61): 6  // author
            case (4, 0x77): 7  // wall
            case (6, 0x73): 8  // schema
            case (4, 0x6B): 9  // kind
            case (5, 0x76): 10  // value
            case (3, 0x6B): 11  // key
            case (4, 0x72): 12  // rank
            case (6, 0x62): 13  // branch
            case (3, 0x61): 14  // add
            case (5, 0x65): 16  // edits
            default: nil
            }
            guard let candidate, nameBytes[candidate].withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) else { return nil }
            return candidate
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

    static func object(_ reader: inout JSONReader) throws(JSONReader.Malformed) -> Shaped<[(String, Value)]> {
        guard reader.peek() == 0x7B else {
            try reader.skipValue()
            return .invalid
        }
        var pairs: [(String, Value)] = []
        try reader.members { (reader, name) throws(JSONReader.Malformed) in pairs.append((name, try reader.value())) }
        return .value(pairs)
    }

    static func list(_ reader: inout JSONReader) throws(JSONReader.Malformed) -> Shaped<[Value]> {
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
            guard OpRules.isValidSetChange(added: added, removed: removed) else { throw .invalid("add/remove") }
            return .set(add: added, remove: removed)
        case .text:
            guard case .value(let items) = edits, !items.isEmpty else { throw .invalid("edits") }
            var edits: [TextEdit] = []
            for (index, item) in items.enumerated() {
                func reference(_ text: String) throws(OpDecodingError) -> SegmentID {
                    guard let id = SegmentID(Substring(text)), OpRules.mayRefer(to: id, at: index, of: edits, dot: dot, deps: deps)
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

    private static func nonEmpty(_ value: Value?) -> String? {
        guard case .string(let text) = value, !text.isEmpty else { return nil }
        return text
    }

    /// Every value a string, or nil (also read by `CompactLine`).
    static func strings(_ values: [Value]) -> [String]? {
        var result: [String] = []
        result.reserveCapacity(values.count)
        for value in values {
            guard case .string(let text) = value else { return nil }
            result.append(text)
        }
        return result
    }

    /// A string or null, else the key is named as invalid (also read by `CompactLine`).
    static func optionalString(_ value: Value?, _ key: String) throws(OpDecodingError) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        default: throw .invalid(key)
        }
    }
}
