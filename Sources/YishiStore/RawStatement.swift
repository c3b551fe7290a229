import GRDB
import GRDBSQLite

/// A GRDB-cached statement driven through the SQLite C API.
///
/// Used only for the few statements that run once or more per op when a batch is applied:
/// there, GRDB's boxing of arguments and rows cost more than SQLite's own work. GRDB still
/// prepares, caches and finalizes the statement; each use here binds, steps and resets it,
/// so GRDB finds it clean the next time.
struct RawStatement {
    private let handle: OpaquePointer
    private let db: Database
    /// Held so that GRDB cannot finalize the statement while a copy of this one is kept
    /// (`ApplyStatements` keeps them for a whole transaction).
    private let statement: Statement

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    /// The values to bind, in order.
    enum Value {
        case text(String)
        case integer(Int64)
        case blob([UInt8])
        case null
    }

    /// Binds, runs to completion and resets; for statements that return no rows.
    func execute(_ values: Value...) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Binds, then calls `row` for each result row; resets afterwards.
    func query(_ values: Value..., row: (Row) throws -> Void) throws {
        try query(values, row: row)
    }

    func query(_ values: [Value], row: (Row) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            try row(Row(handle: handle))
        }
    }

    /// Binds and returns a cursor that steps one row at a time, for reading statements side
    /// by side (the digest merges three ordered reads).
    func cursor(_ values: Value...) throws -> Cursor {
        try bind(values)
        return Cursor(handle: handle, error: error)
    }

    struct Cursor {
        let handle: OpaquePointer
        let error: (Int32) -> DatabaseError
        /// The current row, valid after `step()` returned true and until the next step.
        var row: Row { Row(handle: handle) }

        /// Moves to the next row; false (and the statement reset) at the end.
        func step() throws -> Bool {
            let code = sqlite3_step(handle)
            if code == SQLITE_ROW { return true }
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else { throw error(code) }
            return false
        }
    }

    /// `items` as IN lists of at most 512: each list's `?` marks and the values to bind.
    /// A list is padded to a power of two by repeating its last item (a duplicate in IN
    /// changes nothing), so however many lengths are asked for, a connection caches only
    /// ten statements of each kind.
    static func inLists(_ items: [String]) -> [(marks: String, values: [Value])] {
        stride(from: 0, to: items.count, by: 512).map { start in
            let chunk = items[start..<min(start + 512, items.count)]
            var size = 1
            while size < chunk.count { size *= 2 }
            let values = chunk.map { Value.text($0) } + Array(repeating: .text(chunk.last!), count: size - chunk.count)
            return (Array(repeating: "?", count: size).joined(separator: ","), values)
        }
    }

    /// Column access for the current row.
    struct Row {
        let handle: OpaquePointer

        func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        /// Text by its byte count, so an escaped NUL inside a value survives.
        func text(_ column: Int32) -> String? {
            guard let bytes = sqlite3_column_text(handle, column) else { return nil }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        func blob(_ column: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
            return Array(UnsafeRawBufferPointer(start: bytes, count: count))
        }
    }

    private func bind(_ values: [Value]) throws {
        sqlite3_reset(handle)
        // SQLITE_TRANSIENT: SQLite copies the bytes, so Swift's buffers may go away.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .text(var text):
                code = text.withUTF8 { utf8 in
                    // An empty buffer may have no address, and a null pointer would bind NULL.
                    let start = utf8.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                    return sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self), Int32(utf8.count), transient)
                }
            case .integer(let number):
                code = sqlite3_bind_int64(handle, index, number)
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
            case .null:
                code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw error(code) }
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: String(cString: sqlite3_sql(handle)))
    }
}
