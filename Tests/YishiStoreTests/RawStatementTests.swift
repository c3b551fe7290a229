import GRDB
import GRDBSQLite
import Testing
@testable import YishiStore
import YishiTestSupport

/// `RawStatement` binds text and blobs in place from a buffer that lives only for the call
/// (SQLITE_STATIC). What it binds must arrive exactly, and nothing may be left bound to
/// that buffer once the call is over.
@Suite struct RawStatementTests {
    static let values: [RawStatement.Value] = [
        .text(""), .text("a\u{0}b"), .text("北门门禁改造：第 3 号议题"), .text(String(repeating: "长", count: 3_000)),
        .blob([]), .blob([0, 255, 7]), .integer(-42), .null,
    ]

    @Test func everyKindOfValueArrivesAsItWasBound() throws {
        let folder = TemporaryDirectory()
        let queue = try DatabaseQueue(path: folder.path("raw.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, v)")
            let insert = try RawStatement(db, "INSERT INTO t (n, v) VALUES (?, ?)")
            for (index, value) in Self.values.enumerated() {
                try insert.execute(.integer(Int64(index)), value)
            }
            var read: [String] = []
            try RawStatement(db, "SELECT typeof(v), quote(v) FROM t ORDER BY n").query { row in
                read.append("\(row.text(0) ?? "?") \((row.text(1) ?? "?").prefix(40))")
            }
            #expect(read == [
                "text ''", "text 'a'", "text '北门门禁改造：第 3 号议题'", "text '\(String(repeating: "长", count: 39))",
                "blob X''", "blob X'00FF07'", "integer -42", "null NULL",
            ])
            // `quote` stops at the NUL; the text itself is three bytes long, NUL included.
            var lengths: [Int64] = []
            try RawStatement(db, "SELECT length(CAST(v AS BLOB)) FROM t WHERE n IN (1, 3) ORDER BY n").query { lengths.append($0.integer(0)) }
            #expect(lengths == [3, 9_000])
        }
    }

    /// Several texts and blobs in one call each keep their own bytes.
    @Test func valuesBoundTogetherStayApart() throws {
        let folder = TemporaryDirectory()
        let queue = try DatabaseQueue(path: folder.path("raw.sqlite").path)
        try queue.read { db in
            var read: [String] = []
            try RawStatement(db, "SELECT ?, ?, hex(?), ?, ?").query(.text("王芳"), .text(""), .blob([0xAB, 0xCD]), .integer(7), .text("物业 张经理")) { row in
                read = [row.text(0) ?? "?", row.text(1) ?? "?", row.text(2) ?? "?", String(row.integer(3)), row.text(4) ?? "?"]
            }
            #expect(read == ["王芳", "", "ABCD", "7", "物业 张经理"])
        }
    }

    /// After a call, the statement holds no binding into the buffer that is gone: stepped
    /// again as GRDB would find it, it binds NULL.
    @Test func nothingStaysBoundAfterACall() throws {
        let folder = TemporaryDirectory()
        let queue = try DatabaseQueue(path: folder.path("raw.sqlite").path)
        try queue.write { db in
            let sql = "SELECT ? IS NULL, ? IS NULL"
            var answers: [Int64] = []
            try RawStatement(db, sql).query(.text("一段文字"), .blob([1, 2])) { answers.append($0.integer(0) + $0.integer(1)) }
            let again = try db.cachedStatement(sql: sql)
            #expect(sqlite3_bind_parameter_count(again.sqliteStatement) == 2)
            #expect(sqlite3_step(again.sqliteStatement) == SQLITE_ROW)
            answers.append(sqlite3_column_int64(again.sqliteStatement, 0) + sqlite3_column_int64(again.sqliteStatement, 1))
            sqlite3_reset(again.sqliteStatement)
            #expect(answers == [0, 2])
        }
    }
}
