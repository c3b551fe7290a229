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
            guard isValidSetChange(added: added, removed: removed) else { throw .invalid("add/remove") }
        case .text(let edits):
            guard !edits.isEmpty else { throw .invalid("edits") }
            for (index, edit) in edits.enumerated() {
                let referred: SegmentID? = switch edit {
                case .insert(let after, _): after
                case .put(let target, _): target
                }
                guard let id = referred else { continue }
                guard mayRefer(to: id, at: index, of: edits, dot: op.dot, deps: op.deps) else { throw .invalid("edits") }
            }
        }
    }

    // The rules below are also checked inline by the canonical decoder (`OpLine`), as it
    // reads each part, so that it names the first fault in the order it always has.

    /// A set change adds or removes something, and names no element twice or on both sides.
    static func isValidSetChange(added: [String], removed: [String]) -> Bool {
        guard !(added.isEmpty && removed.isEmpty) else { return false }
        // Nearly every change names one or two elements: compared pairwise, without
        // hashing them into sets.
        if added.count + removed.count <= 8 {
            for (index, element) in added.enumerated() {
                if added[(index + 1)...].contains(element) || removed.contains(element) { return false }
            }
            for (index, element) in removed.enumerated() where removed[(index + 1)...].contains(element) { return false }
            return true
        }
        let addedSet = Set(added), removedSet = Set(removed)
        return addedSet.count == added.count && removedSet.count == removed.count && addedSet.isDisjoint(with: removedSet)
    }

    /// A text edit (the `index`th of `edits`) may refer to a sentence only if its op could
    /// have seen it: an earlier insert of the same op, or an op in the causal context.
    static func mayRefer(to id: SegmentID, at index: Int, of edits: [TextEdit], dot: Dot, deps: VersionVector) -> Bool {
        guard id.dot == dot else { return deps.contains(id.dot) }
        guard Int(id.index) < index, Int(id.index) < edits.count else { return false }
        if case .insert = edits[Int(id.index)] { return true }
        return false
    }
}
