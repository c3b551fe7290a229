import GRDB
import YishiMerge

extension Replica {
    /// Refuses `ops`, as `receive` would and with its error, when one writes a field as
    /// another kind than this replica holds it (or than an earlier op of the batch does),
    /// without writing anything.
    ///
    /// A central process on PostgreSQL stores a push in the shared log before its own view
    /// applies it (PROTOCOL.md, "Several central processes"), so it asks this of the view
    /// first: of the checks an apply makes, it is the one that needs the records' state,
    /// and it costs a lookup per field instead of an apply per op.
    public func checkFieldKinds(of ops: [Op]) throws {
        try pool.read { db in
            let stored = try db.cachedStatement(sql: "SELECT kind FROM field WHERE record = ? AND field = ?")
            var kinds: [FieldKey: FieldKind] = [:]
            for op in ops {
                let key = FieldKey(record: op.record, field: op.field)
                let known: FieldKind
                if let seen = kinds[key] {
                    known = seen
                } else {
                    known = try String.fetchOne(stored, arguments: [op.record, op.field]).flatMap(FieldKind.init(rawValue:)) ?? op.kind
                    kinds[key] = known
                }
                guard known == op.kind else {
                    throw StoreError(.merge(.kindMismatch(record: op.record, field: op.field, existing: known, incoming: op.kind), line: nil))
                }
            }
        }
    }
}

extension Replica {
    /// Refuses `ops`, as `receive` would, when a text edit names a sentence this replica does
    /// not hold and no earlier op of the batch inserts: stored, such an op would stop every
    /// replica that applies it. Read-only, like `checkFieldKinds`.
    public func checkTextEdits(of ops: [Op]) throws {
        var inserted: Set<String> = []
        try pool.read { db in
            let exists = try db.cachedStatement(sql: "SELECT 1 FROM segment WHERE record = ? AND field = ? AND replica = ? AND counter = ? AND idx = ?")
            for op in ops {
                guard case .text(let edits) = op.change else { continue }
                for (index, edit) in edits.enumerated() {
                    let named: SegmentID? = switch edit {
                    case .insert(let after, _): after
                    case .put(let target, _): target
                    }
                    if let named, named.dot != op.dot, !inserted.contains("\(op.record)\u{0}\(op.field)\u{0}\(named)") {
                        let held = try Bool.fetchOne(exists, arguments: [op.record, op.field, named.dot.replica.rawValue,
                                                                          Int64(named.dot.counter), Int64(named.index)]) ?? false
                        guard held else {
                            throw StoreError(.merge(.missingSentence(record: op.record, field: op.field, sentence: named, dot: op.dot), line: nil))
                        }
                    }
                    if case .insert = edit {
                        inserted.insert("\(op.record)\u{0}\(op.field)\u{0}\(ValueID(dot: op.dot, index: UInt32(index)))")
                    }
                }
            }
        }
    }
}
