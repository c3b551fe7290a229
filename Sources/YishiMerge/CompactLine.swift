/// One line of a compact batch (`CompactOpCodec`), read against the op before it. The
/// whole line is read before anything is checked, so a line that is not JSON is refused as
/// such; the op it spells is then checked in full by the canonical decoder's rules.
///
/// Each key's value has its own slot, found by the key's one letter, and the keys met are
/// bits: a dictionary of the values and sets of the keys allowed were three quarters of a
/// line's cost (BENCHMARKS.md, "Catch-up speed (issue 11, third session)").
struct CompactLine {
    typealias Value = JSONReader.Value

    struct Edit {
        var insert: Value?
        var put: Value?
        var text: Value?
        var keys = 0
    }

    /// Every key a compact line may hold, in the order of their bits.
    static let names = ["d", "l", "p", "s", "r", "f", "a", "w", "k", "v", "y", "n", "b", "+", "-", "e"]
    /// The keys every op may have; those of each kind are `changeKeys`.
    private static let commonKeys: UInt32 = (1 << 9) - 1

    private var d: Value?, l: Value?, s: Value?, r: Value?, f: Value?, a: Value?, w: Value?, k: Value?
    private var v: Value?, y: Value?, n: Value?, b: Value?
    private var deps: OpLine.Shaped<[(String, Value)]> = .absent
    private var add: OpLine.Shaped<[Value]> = .absent
    private var remove: OpLine.Shaped<[Value]> = .absent
    private var edits: OpLine.Shaped<[Edit?]> = .absent
    private var present: UInt32 = 0
    private var unknown: [String] = []
    private let previous: Op?

    init(_ buffer: UnsafeBufferPointer<UInt8>, after previous: Op?) throws(OpDecodingError) {
        self.previous = previous
        var reader = JSONReader(buffer)
        do {
            try reader.rawMembers { (reader, name) throws(JSONReader.Malformed) in
                guard let bit = Self.bit(name) else {
                    unknown.append(name.text)
                    try reader.skipValue()
                    return
                }
                present |= 1 << bit
                switch bit {
                case 0: d = try reader.value()
                case 1: l = try reader.value()
                case 2: deps = try OpLine.object(&reader)
                case 3: s = try reader.value()
                case 4: r = try reader.value()
                case 5: f = try reader.value()
                case 6: a = try reader.value()
                case 7: w = try reader.value()
                case 8: k = try reader.value()
                case 9: v = try reader.value()
                case 10: y = try reader.value()
                case 11: n = try reader.value()
                case 12: b = try reader.value()
                case 13: add = try OpLine.list(&reader)
                case 14: remove = try OpLine.list(&reader)
                default: edits = try Self.edits(&reader)
                }
            }
            guard reader.atEnd() else { throw JSONReader.Malformed() }
        } catch {
            throw .notJSON
        }
    }

    /// Each key's one letter, in the order of `names`.
    private static let letters = names.map { $0.utf8.first! }

    static func bit(_ key: JSONReader.Key) -> Int? {
        switch key {
        case .raw(let bytes): bytes.count == 1 ? letters.firstIndex(of: bytes[0]) : nil
        case .decoded(let text): names.firstIndex(of: text)
        }
    }

    private static func edits(_ reader: inout JSONReader) throws(JSONReader.Malformed) -> OpLine.Shaped<[Edit?]> {
        guard reader.peek() == 0x5B else {
            try reader.skipValue()
            return .invalid
        }
        var items: [Edit?] = []
        try reader.elements { (reader) throws(JSONReader.Malformed) in
            guard reader.peek() == 0x7B else {
                try reader.skipValue()
                items.append(nil)
                return
            }
            var edit = Edit()
            try reader.members { (reader, name) throws(JSONReader.Malformed) in
                edit.keys += 1
                switch name {
                case "i": edit.insert = try reader.value()
                case "u": edit.put = try reader.value()
                case "t": edit.text = try reader.value()
                default: try reader.skipValue()
                }
            }
            items.append(edit)
        }
        return .value(items)
    }

    /// The keys each kind's change may have.
    private static func changeKeys(_ kind: FieldKind) -> UInt32 {
        switch kind {
        case .register: 1 << 9
        case .entry: 1 << 10 | 1 << 9
        case .status: 1 << 9 | 1 << 11 | 1 << 12
        case .set: 1 << 13 | 1 << 14
        case .text: 1 << 15
        }
    }

    func op() throws(OpDecodingError) -> Op {
        let kind: FieldKind
        switch k {
        case .string(let name)?:
            guard let known = FieldKind(rawValue: name) else { throw .unknownKind(name) }
            kind = known
        case nil:
            guard let previous else { throw .missing("kind") }
            kind = previous.kind
        default: throw .invalid("kind")
        }
        let strays = present & ~(Self.commonKeys | Self.changeKeys(kind))
        if strays != 0 || !unknown.isEmpty {
            throw .unexpected((unknown + Self.names.indices.filter { strays & 1 << $0 != 0 }.map { Self.names[$0] }).min()!)
        }

        let dot: Dot
        switch d {
        case .string(let text)?:
            guard let parsed = Dot(Substring(text)) else { throw .invalid("dot") }
            dot = parsed
        case nil:
            guard let previous, previous.dot.counter < UInt64.max else { throw .missing("dot") }
            dot = Dot(replica: previous.dot.replica, counter: previous.dot.counter + 1)
        default: throw .invalid("dot")
        }
        guard let lamport = Self.sum(previous.map { Int64($0.lamport) } ?? 0, l, otherwise: 1), lamport > 0 else {
            throw .invalid("lamport")
        }
        var deps = CompactOpCodec.expectedDeps(after: previous)
        switch self.deps {
        case .absent: break
        case .invalid: throw .invalid("deps")
        case .value(let pairs):
            for (name, value) in pairs {
                guard let replica = ReplicaID(rawValue: name), case .integer(let counter) = value, counter >= 0 else {
                    throw .invalid("deps")
                }
                deps[replica] = UInt64(counter)
            }
        }
        let scope = try Self.string(s, otherwise: previous?.scope, "scope")
        let record = try Self.string(r, otherwise: previous?.record, "record")
        let field = try Self.string(f, otherwise: previous?.field, "field")
        let author = try Self.string(a, otherwise: previous?.author ?? "", "author")
        guard let wall = Self.sum(previous?.wallTime.milliseconds ?? 0, w, otherwise: 0) else { throw .invalid("wall") }
        return Op(
            dot: dot, lamport: UInt64(lamport), deps: deps, scope: scope, record: record, field: field,
            change: try change(kind), author: author, wallTime: WallTime(milliseconds: wall))
    }

    private func change(_ kind: FieldKind) throws(OpDecodingError) -> Change {
        switch kind {
        case .register:
            return .register(try OpLine.optionalString(v, "value"))
        case .entry:
            guard case .string(let key)? = y else { throw .invalid("key") }
            return .entry(key: key, value: try OpLine.optionalString(v, "value"))
        case .status:
            guard case .string(let name)? = v else { throw .invalid("value") }
            guard case .integer(let rank)? = n, let rank = Int(exactly: rank) else { throw .invalid("rank") }
            guard case .string(let branch)? = b else { throw .invalid("branch") }
            return .status(StatusValue(name: name, rank: rank, branch: branch))
        case .set:
            guard case .value(let added) = add, case .value(let removed) = remove,
                  let added = OpLine.strings(added), let removed = OpLine.strings(removed)
            else { throw .invalid("add/remove") }
            return .set(add: added, remove: removed)
        case .text:
            guard case .value(let items) = edits else { throw .invalid("edits") }
            var result: [TextEdit] = []
            for item in items {
                guard let item, item.keys == 2 else { throw .invalid("edits") }
                if case .string(let anchor)? = item.insert, case .string(let text)? = item.text {
                    if anchor == "^" {
                        result.append(.insert(after: nil, text: text))
                    } else {
                        guard let id = SegmentID(Substring(anchor)) else { throw .invalid("edits") }
                        result.append(.insert(after: id, text: text))
                    }
                } else if case .string(let target)? = item.put, let id = SegmentID(Substring(target)) {
                    result.append(.put(id, try OpLine.optionalString(item.text, "edits")))
                } else {
                    throw .invalid("edits")
                }
            }
            return .text(result)
        }
    }

    /// `base` plus the difference the line gives, or `otherwise` when it gives none.
    private static func sum(_ base: Int64, _ value: Value?, otherwise: Int64) -> Int64? {
        switch value {
        case nil: return base.addingReportingOverflow(otherwise).overflow ? nil : base + otherwise
        case .integer(let delta)?: return base.addingReportingOverflow(delta).overflow ? nil : base + delta
        default: return nil
        }
    }

    private static func string(_ value: Value?, otherwise: String?, _ key: String) throws(OpDecodingError) -> String {
        switch value {
        case .string(let text)?: return text
        case nil:
            guard let otherwise else { throw .missing(key) }
            return otherwise
        default: throw .invalid(key)
        }
    }
}
