@testable import YishiMerge

/// The compact line reader as it was before it kept its values in fixed slots: a
/// dictionary of the keys met and sets of the keys allowed. Kept as the oracle the
/// reader is held to, verdict and reason.
struct ReferenceCompactLine {
    typealias Value = JSONReader.Value

    struct Edit {
        var insert: Value?
        var put: Value?
        var text: Value?
        var keys = 0
    }

    private var values: [String: Value] = [:]
    private var deps: OpLine.Shaped<[(String, Value)]> = .absent
    private var add: OpLine.Shaped<[Value]> = .absent
    private var remove: OpLine.Shaped<[Value]> = .absent
    private var edits: OpLine.Shaped<[Edit?]> = .absent
    private var keys: [String] = []
    private let previous: Op?

    private static let scalarKeys: Set<String> = ["d", "l", "s", "r", "f", "a", "w", "k", "v", "y", "n", "b"]

    init(_ buffer: UnsafeBufferPointer<UInt8>, after previous: Op?) throws(OpDecodingError) {
        self.previous = previous
        var reader = JSONReader(buffer)
        do {
            try reader.members { (reader, name) throws(JSONReader.Malformed) in
                keys.append(name)
                switch name {
                case "p": deps = try OpLine.object(&reader)
                case "+": add = try OpLine.list(&reader)
                case "-": remove = try OpLine.list(&reader)
                case "e": edits = try Self.edits(&reader)
                default: values[name] = try reader.value()
                }
            }
            guard reader.atEnd() else { throw JSONReader.Malformed() }
        } catch {
            throw .notJSON
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
    private static func changeKeys(_ kind: FieldKind) -> Set<String> {
        switch kind {
        case .register: ["v"]
        case .entry: ["y", "v"]
        case .status: ["v", "n", "b"]
        case .set: ["+", "-"]
        case .text: ["e"]
        }
    }

    func op() throws(OpDecodingError) -> Op {
        let kind: FieldKind
        switch values["k"] {
        case .string(let name)?:
            guard let known = FieldKind(rawValue: name) else { throw .unknownKind(name) }
            kind = known
        case nil:
            guard let previous else { throw .missing("kind") }
            kind = previous.kind
        default: throw .invalid("kind")
        }
        let allowed = Self.scalarKeys.subtracting(["v", "y", "n", "b"]).union(["p"]).union(Self.changeKeys(kind))
        if let stray = keys.filter({ !allowed.contains($0) }).min() { throw .unexpected(stray) }

        let dot: Dot
        switch values["d"] {
        case .string(let text)?:
            guard let parsed = Dot(Substring(text)) else { throw .invalid("dot") }
            dot = parsed
        case nil:
            guard let previous, previous.dot.counter < UInt64.max else { throw .missing("dot") }
            dot = Dot(replica: previous.dot.replica, counter: previous.dot.counter + 1)
        default: throw .invalid("dot")
        }
        guard let lamport = Self.sum(previous.map { Int64($0.lamport) } ?? 0, values["l"], otherwise: 1), lamport > 0 else {
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
        let scope = try Self.string(values["s"], otherwise: previous?.scope, "scope")
        let record = try Self.string(values["r"], otherwise: previous?.record, "record")
        let field = try Self.string(values["f"], otherwise: previous?.field, "field")
        let author = try Self.string(values["a"], otherwise: previous?.author ?? "", "author")
        guard let wall = Self.sum(previous?.wallTime.milliseconds ?? 0, values["w"], otherwise: 0) else { throw .invalid("wall") }
        return Op(
            dot: dot, lamport: UInt64(lamport), deps: deps, scope: scope, record: record, field: field,
            change: try change(kind), author: author, wallTime: WallTime(milliseconds: wall))
    }

    private func change(_ kind: FieldKind) throws(OpDecodingError) -> Change {
        switch kind {
        case .register:
            return .register(try OpLine.optionalString(values["v"], "value"))
        case .entry:
            guard case .string(let key)? = values["y"] else { throw .invalid("key") }
            return .entry(key: key, value: try OpLine.optionalString(values["v"], "value"))
        case .status:
            guard case .string(let name)? = values["v"] else { throw .invalid("value") }
            guard case .integer(let rank)? = values["n"], let rank = Int(exactly: rank) else { throw .invalid("rank") }
            guard case .string(let branch)? = values["b"] else { throw .invalid("branch") }
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
