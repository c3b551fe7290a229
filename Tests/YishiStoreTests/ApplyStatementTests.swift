import GRDB
import GRDBSQLite
import Testing
import YishiMerge
@testable import YishiStore
import YishiTestSupport

/// The statements run once per applied op are prepared once, not again for every op: a
/// partial index on `value` once made SQLite prepare them anew whenever the bound field
/// changed, which cost four fifths of the apply rate and showed in no test.
@Suite struct ApplyStatementTests {
    @Test func perOpStatementsAreNotPreparedAgainForEachOp() throws {
        let folder = TemporaryDirectory()
        var source = ReplicaState(replica: ReplicaID(rawValue: "HL3-02")!)
        var ops: [Op] = []
        // 200 keys, each written twice: the second batch finds every key stored by the
        // first, so it looks each up and deletes its old value (a batch's own fields and
        // keys are answered from memory, which would leave these statements idle).
        for index in 0..<400 {
            let field = ["title", "owner", "deadline", "raisedOn"][(index / 50) % 4]
            if let op = try source.edit(record: "topic/HL3-02-2026-\(index % 50)", field: field, scope: "HL3",
                                        change: .write("第\(index)次"), author: "李强", wallTime: WallTime(milliseconds: 1_763_800_000_000)) {
                ops.append(op)
            }
        }
        let replica = try Replica.create(at: folder.dataDirectory("HL3-01"), replica: "HL3-01", community: "HL3")
        try replica.receive(Array(ops[..<200]))
        try replica.receive(Array(ops[200...]))
        let statements = [
            "SELECT \(ValueRows.columns) FROM value WHERE \(ValueRows.oneKey)",
            "DELETE FROM value WHERE \(ValueRows.oneKey) AND replica = ? AND counter = ? AND idx = ?",
        ]
        try replica.pool.write { db in
            for sql in statements {
                let handle = try db.cachedStatement(sql: sql).sqliteStatement
                #expect(sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_RUN, 0) >= 150, "\(sql) did not run per op")
                #expect(sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_REPREPARE, 0) == 0, "\(sql) was prepared again")
            }
        }
    }
}
