import GRDB

/// The statements `OpApplier` runs once or more per op, prepared when the transaction
/// starts. Looking each up in GRDB's cache by its SQL text on every use hashed the whole
/// text each time, a tenth of the cost of applying an op.
struct ApplyStatements {
    let insertOp: RawStatement
    let insertArrival: RawStatement
    let opHash: RawStatement
    let insertField: RawStatement
    let fieldKind: RawStatement
    let insertSegment: RawStatement
    let segmentExists: RawStatement
    let valuesAtKey: RawStatement
    let deleteValue: RawStatement
    let insertValue: RawStatement
    let insertConflict: RawStatement
    let deleteConflict: RawStatement

    init(_ db: Database) throws {
        insertOp = try RawStatement(db, """
            INSERT INTO op (replica, counter, lamport, scope, record, field, hash, journal_offset, journal_length, applied)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """)
        insertArrival = try RawStatement(db, "INSERT INTO arrival (replica, counter, scope) VALUES (?, ?, ?)")
        opHash = try RawStatement(db, "SELECT hash FROM op WHERE replica = ? AND counter = ?")
        insertField = try RawStatement(db, "INSERT INTO field (record, field, kind, scope) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
        fieldKind = try RawStatement(db, "SELECT kind FROM field WHERE record = ? AND field = ?")
        insertSegment = try RawStatement(db, """
            INSERT INTO segment (record, field, replica, counter, idx, parent, lamport) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        segmentExists = try RawStatement(db, """
            SELECT 1 FROM segment WHERE record = ? AND field = ? AND replica = ? AND counter = ? AND idx = ?
            """)
        valuesAtKey = try RawStatement(db, ValueRows.atKey)
        deleteValue = try RawStatement(db, """
            DELETE FROM value WHERE \(ValueRows.oneKey) AND replica = ? AND counter = ? AND idx = ?
            """)
        insertValue = try RawStatement(db, """
            INSERT INTO value (record, field, key, replica, counter, idx, lamport, author, wall, content, rank, branch)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertConflict = try RawStatement(db, "INSERT OR IGNORE INTO conflict (record, field, key) VALUES (?, ?, ?)")
        deleteConflict = try RawStatement(db, "DELETE FROM conflict WHERE record = ? AND field = ? AND key = ?")
    }
}
