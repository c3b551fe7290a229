/// The rules an op must keep beyond the shape of its line, checked on an op already built:
/// how the compact decoder (`CompactOpCodec`) holds a rebuilt op to exactly what the
/// canonical decoder accepts, without encoding it canonically and reading it back (that
/// round trip was most of a compact batch's cost). `CompactOpCodecTests` holds the two
/// ways to the same verdict on random and damaged batches.
enum OpRules {
    static func check(_ op: Op) throws(OpDecodingError) {
        guard op.lamport > 0, op.lamport <= UInt64(Int64.max) else { throw .invalid("lamport") }
        // An op can only depend on earlier ops of its own replica.
        guard op.deps[op.dot.replica] < op.dot.counter, op.deps.counters.values.allSatisfy({ $0 <= UInt64(Int64.max) }) else {
            throw .invalid("deps")
        }
        guard !op.scope.isEmpty else { throw .invalid("scope") }
        guard !op.record.isEmpty else { throw .invalid("record") }
        guard !op.field.isEmpty else { throw .invalid("field") }
        // The canonical line spells the wall time with a four-digit year.
        guard WallTime.canonicalRange.contains(op.wallTime.milliseconds) else { throw .invalid("wall") }
        switch op.change {
        case .register: break
        case .entry(let key, _):
            guard !key.isEmpty else { throw .invalid("key") }
        case .status(let status):
            guard !status.name.isEmpty else { throw .invalid("value") }
        case .set(let added, let removed):
            guard !added.isEmpty || !removed.isEmpty, Set(added).isDisjoint(with: removed),
                  Set(added).count == added.count, Set(removed).count == removed.count
            else { throw .invalid("add/remove") }
        case .text(let edits):
            guard !edits.isEmpty else { throw .invalid("edits") }
            for (index, edit) in edits.enumerated() {
                let referred: SegmentID? = switch edit {
                case .insert(let after, _): after
                case .put(let target, _): target
                }
                // A sentence may be referred to only if this op could have seen it: an
                // earlier insert of the same op, or an op in its causal context.
                guard let id = referred else { continue }
                let seen = id.dot == op.dot
                    ? Int(id.index) < index && { if case .insert = edits[Int(id.index)] { true } else { false } }()
                    : op.deps.contains(id.dot)
                guard seen else { throw .invalid("edits") }
            }
        }
    }
}
