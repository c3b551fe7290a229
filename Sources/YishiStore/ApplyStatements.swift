import GRDB

/// The statements a write transaction runs, each prepared the first time the transaction
/// needs it and kept for the rest of it.
///
/// Looking each up in GRDB's cache by its SQL text on every use hashed the whole text each
/// time, a tenth of the cost of applying an op. Preparing all of them when the transaction
/// started cost a staff member's one-field edit, which needs half of them, about a
/// fourteenth of its instructions (`valgrind --tool=callgrind`, `yishi-bench local`).
final class ApplyStatements {
    private let db: Database
    private var prepared: [RawStatement?] = Array(repeating: nil, count: ApplyStatement.allCases.count)

    init(_ db: Database) { self.db = db }

    subscript(_ name: ApplyStatement) -> RawStatement {
        get throws {
            if let statement = prepared[name.rawValue] { return statement }
            let statement = try RawStatement(db, name.sql)
            prepared[name.rawValue] = statement
            return statement
        }
    }
}

/// The statements of the write path, by name. Open to the benchmark, whose SQLite baseline
/// runs the very same statements.
@_spi(Benchmark)
public enum ApplyStatement: Int, CaseIterable, Sendable {
    case insertOp, insertArrival, opHash, opChain, anchorHead, insertChainPoint
    case insertField, fieldKind, recordScope
    case insertSegment, segmentExists
    case valuesAtKey, deleteValue, insertValue
    case insertConflict, deleteConflict
    case clockOfScope, clockOfReplicas, upsertScopeClock
    case heldCount, markStale

    public var sql: String {
        switch self {
        case .insertOp: """
            INSERT INTO op (replica, counter, lamport, scope, record, field, hash, journal_offset, journal_length, applied, chain)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """
        case .insertArrival: "INSERT INTO arrival (replica, counter, scope) VALUES (?, ?, ?)"
        case .opHash: "SELECT hash FROM op WHERE replica = ? AND counter = ?"
        case .opChain: "SELECT chain FROM op WHERE replica = ? AND counter = ?"
        case .anchorHead: "SELECT head FROM chain_point WHERE origin = ? AND counter = ? LIMIT 1"
        case .insertChainPoint: "INSERT OR IGNORE INTO chain_point (origin, counter, key, head, signature) VALUES (?, ?, ?, ?, ?)"
        case .insertField: "INSERT INTO field (record, field, kind, scope) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
        case .fieldKind: "SELECT kind FROM field WHERE record = ? AND field = ?"
        case .recordScope: "SELECT scope FROM field WHERE record = ? LIMIT 1"
        case .insertSegment: """
            INSERT INTO segment (record, field, replica, counter, idx, parent, lamport) VALUES (?, ?, ?, ?, ?, ?, ?)
            """
        case .segmentExists: """
            SELECT 1 FROM segment WHERE record = ? AND field = ? AND replica = ? AND counter = ? AND idx = ?
            """
        case .valuesAtKey: ValueRows.atKey
        case .deleteValue: """
            DELETE FROM value WHERE \(ValueRows.oneKey) AND replica = ? AND counter = ? AND idx = ?
            """
        case .insertValue: """
            INSERT INTO value (record, field, key, replica, counter, idx, lamport, author, wall, content, rank, branch)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        case .insertConflict: "INSERT OR IGNORE INTO conflict (record, field, key) VALUES (?, ?, ?)"
        case .deleteConflict: "DELETE FROM conflict WHERE record = ? AND field = ? AND key = ?"
        case .clockOfScope: "SELECT replica, counter FROM scope_clock WHERE scope = ?"
        // Every row, the maximum taken by the caller: GROUP BY sorted the rows in a temporary
    // index on every write transaction, and a station has a handful of rows.
    case .clockOfReplicas: "SELECT replica, counter FROM scope_clock"
        case .upsertScopeClock: "INSERT OR REPLACE INTO scope_clock (scope, replica, counter) VALUES (?, ?, ?)"
        case .heldCount: "SELECT count(*) FROM held"
        case .markStale: "INSERT OR IGNORE INTO search_stale (record) VALUES (?)"
        }
    }
}
