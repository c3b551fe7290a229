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

        /// The bytes of text or a blob (none for a number or NULL), for the time of `body`.
        func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
            switch self {
            case .text(let text):
                var text = text
                return try text.withUTF8(body)
            case .blob(let bytes): return try bytes.withUnsafeBufferPointer(body)
            case .integer, .null: return try body(UnsafeBufferPointer(start: nil, count: 0))
            }
        }
    }

    /// Binds, runs to completion and resets; for statements that return no rows.
    func execute(_ values: Value...) throws {
        try withBound(values) {
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else { throw error(code) }
        }
    }

    /// Binds, then calls `row` for each result row; resets afterwards.
    func query(_ values: Value..., row: (Row) throws -> Void) throws {
        try query(values, row: row)
    }

    func query(_ values: [Value], row: (Row) throws -> Void) throws {
        try withBound(values) {
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw error(code) }
                try row(Row(handle: handle))
            }
        }
    }

    /// Binds and returns a cursor that steps one row at a time, for reading statements side
    /// by side (the digest merges three ordered reads).
    func cursor(_ values: Value...) throws -> Cursor {
        sqlite3_reset(handle)
        // SQLITE_TRANSIENT: SQLite copies the bytes, which must outlive this call.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (offset, value) in values.enumerated() {
            let code = value.withBytes { bytes in bind(value, bytes, at: Int32(offset + 1), transient) }
            guard code == SQLITE_OK else { throw error(code) }
        }
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

    /// Binds `values`, runs `body`, then resets the statement and clears its bindings.
    ///
    /// Text and blobs are copied into one temporary buffer, on the stack when small, and
    /// bound in place (SQLITE_STATIC). With SQLITE_TRANSIENT SQLite freed the last value,
    /// allocated and copied for every string bound: a sixth of the instructions of applying
    /// an op (`valgrind --tool=callgrind`), now a tenth. The bindings are cleared before
    /// the buffer goes, so nothing can step the statement with them afterwards.
    private func withBound<T>(_ values: [Value], _ body: () throws -> T) throws -> T {
        var total = 0
        for value in values {
            switch value {
            case .text(let text): total += text.utf8.count
            case .blob(let bytes): total += bytes.count
            case .integer, .null: break
            }
        }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(total, 1)) { buffer in
            sqlite3_reset(handle)
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            var used = 0
            for (offset, value) in values.enumerated() {
                let code = value.withBytes { bytes -> Int32 in
                    let start = buffer.baseAddress! + used
                    if let source = bytes.baseAddress { start.initialize(from: source, count: bytes.count) }
                    used += bytes.count
                    return bind(value, UnsafeBufferPointer(start: start, count: bytes.count), at: Int32(offset + 1), nil)
                }
                guard code == SQLITE_OK else { throw error(code) }
            }
            return try body()
        }
    }

    /// One value, its bytes (for text and blobs) at `bytes`; `destructor` nil is SQLITE_STATIC.
    private func bind(_ value: Value, _ bytes: UnsafeBufferPointer<UInt8>, at index: Int32, _ destructor: sqlite3_destructor_type?) -> Int32 {
        switch value {
        case .text:
            // An empty buffer may have no address, and a null pointer would bind NULL.
            let start = bytes.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            return sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), destructor)
        case .blob:
            return sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), destructor)
        case .integer(let number):
            return sqlite3_bind_int64(handle, index, number)
        case .null:
            return sqlite3_bind_null(handle, index)
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: String(cString: sqlite3_sql(handle)))
    }
}
