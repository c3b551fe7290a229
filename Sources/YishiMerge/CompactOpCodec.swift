/// The compact wire form of a run of ops (bundle version 2; PROTOCOL.md, "Compact
/// batches"). Each op is a JSON line holding only what differs from the op before it in
/// the batch: a dot that is not the next of the same replica, a Lamport time and a wall
/// time as differences, a dependency vector as the entries that differ from the previous
/// op's vector with that op counted in, and scope, record, field, author and kind only when
/// they change. Keys are one letter. The journal keeps the canonical lines; a compact line
/// is turned back into its op, which must then keep every rule the canonical decoder
/// checks (`OpRules`), so both forms accept exactly the same ops and the replica's digest
/// cannot tell them apart.
public enum CompactOpCodec {
    /// The lines (without newlines) of `ops`, in order; decode them in the same order.
    public static func encode(_ ops: [Op]) -> [[UInt8]] {
        var previous: Op?
        return ops.map { op in
            defer { previous = op }
            return encode(op, after: previous)
        }
    }

    static func encode(_ op: Op, after previous: Op?) -> [UInt8] {
        var line = LineWriter()
        line.raw("{")
        var first = true
        func key(_ name: StaticString) {
            if !first { line.raw(",") }
            first = false
            line.raw(name)
        }
        if previous.map({ $0.dot.replica != op.dot.replica || $0.dot.counter &+ 1 != op.dot.counter }) ?? true {
            key("\"d\":\"")
            line.dot(op.dot)
            line.raw("\"")
        }
        let lamport = Int64(op.lamport) - Int64(previous?.lamport ?? 0)
        if lamport != 1 {
            key("\"l\":")
            line.signed(lamport)
        }
        let changed = depsDelta(op.deps, expected: expectedDeps(after: previous))
        if !changed.isEmpty {
            key("\"p\":{")
            for (index, entry) in changed.enumerated() {
                if index > 0 { line.raw(",") }
                line.quoted(entry.replica.rawValue)
                line.raw(":")
                line.number(entry.counter)
            }
            line.raw("}")
        }
        if op.scope != previous?.scope {
            key("\"s\":")
            line.quoted(op.scope)
        }
        if op.record != previous?.record {
            key("\"r\":")
            line.quoted(op.record)
        }
        if op.field != previous?.field {
            key("\"f\":")
            line.quoted(op.field)
        }
        if op.author != previous?.author ?? "" {
            key("\"a\":")
            line.quoted(op.author)
        }
        let wall = op.wallTime.milliseconds - (previous?.wallTime.milliseconds ?? 0)
        if wall != 0 {
            key("\"w\":")
            line.signed(wall)
        }
        if op.kind != previous?.kind {
            key("\"k\":\"")
            line.text(op.kind.rawValue)
            line.raw("\"")
        }
        switch op.change {
        case .register(let value):
            key("\"v\":")
            line.optional(value)
        case .entry(let entryKey, let value):
            key("\"y\":")
            line.quoted(entryKey)
            line.raw(",\"v\":")
            line.optional(value)
        case .status(let status):
            key("\"v\":")
            line.quoted(status.name)
            line.raw(",\"n\":")
            line.signed(Int64(status.rank))
            line.raw(",\"b\":")
            line.quoted(status.branch)
        case .set(let added, let removed):
            key("\"+\":")
            line.list(added)
            line.raw(",\"-\":")
            line.list(removed)
        case .text(let edits):
            key("\"e\":[")
            for (index, edit) in edits.enumerated() {
                if index > 0 { line.raw(",") }
                switch edit {
                case .insert(let after, let text):
                    line.raw("{\"i\":\"")
                    if let after { line.valueID(after) } else { line.raw("^") }
                    line.raw("\",\"t\":")
                    line.quoted(text)
                case .put(let segment, let text):
                    line.raw("{\"u\":\"")
                    line.valueID(segment)
                    line.raw("\",\"t\":")
                    line.optional(text)
                }
                line.raw("}")
            }
            line.raw("]")
        }
        line.raw("}")
        return line.bytes
    }

    /// The vector an op made right after `previous` would most likely carry: the previous
    /// op's, with that op counted in. A run of one station's edits differs from it in nothing.
    static func expectedDeps(after previous: Op?) -> VersionVector {
        guard let previous else { return VersionVector() }
        var expected = previous.deps
        expected[previous.dot.replica] = max(expected[previous.dot.replica], previous.dot.counter)
        return expected
    }

    /// The entries of `deps` that differ from `expected`, 0 for one `deps` lacks.
    static func depsDelta(_ deps: VersionVector, expected: VersionVector) -> [(replica: ReplicaID, counter: UInt64)] {
        if deps == expected { return [] }
        let replicas = Set(deps.counters.keys).union(expected.counters.keys).sorted()
        return replicas.compactMap { replica in
            deps[replica] == expected[replica] ? nil : (replica, deps[replica])
        }
    }

    /// Reads a batch's lines in order: each is read against the op before it.
    public struct Decoder {
        private var previous: Op?

        public init() {}

        public mutating func decode(_ bytes: some Collection<UInt8>) throws(OpDecodingError) -> Op {
            try remember(bytes.withContiguousStorageIfAvailable { Self.decode($0, after: previous) }
                ?? Array(bytes).withUnsafeBufferPointer { Self.decode($0, after: previous) })
        }

        /// As `OpCodec.decode`, lines as they come from a batch skip the generic call.
        public mutating func decode(_ bytes: [UInt8]) throws(OpDecodingError) -> Op {
            try remember(bytes.withUnsafeBufferPointer { Self.decode($0, after: previous) })
        }

        public mutating func decode(_ bytes: ArraySlice<UInt8>) throws(OpDecodingError) -> Op {
            try remember(bytes.withUnsafeBufferPointer { Self.decode($0, after: previous) })
        }

        private mutating func remember(_ result: Result<Op, OpDecodingError>) throws(OpDecodingError) -> Op {
            let op = try result.get()
            previous = op
            return op
        }

        private static func decode(_ buffer: UnsafeBufferPointer<UInt8>, after previous: Op?) -> Result<Op, OpDecodingError> {
            do {
                let op = try CompactLine(buffer, after: previous).op()
                // What the canonical decoder checks beyond a line's shape.
                try OpRules.check(op)
                return .success(op)
            } catch {
                return .failure(error)
            }
        }
    }
}

extension LineWriter {
    /// A whole number that may be negative (a difference).
    mutating func signed(_ value: Int64) {
        if value < 0 { raw("-") }
        number(value.magnitude)
    }
}
