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
