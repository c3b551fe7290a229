import GRDB

/// The bookkeeping every write transaction reads when it starts and writes when it ends,
/// read in one statement and written in one.
///
/// A staff member's edit is a transaction of its own. Five reads and three writes of these
/// entries, each through GRDB's argument and row boxing, were a third of such an edit's
/// instructions (`valgrind --tool=callgrind` on `yishi-bench local`).
struct WriteMeta {
    /// How many journal bytes the replica has absorbed: where the next line goes.
    var journalOffset: UInt64
    /// How many lines those bytes hold, counting the header.
    var journalLines: Int
    /// The highest Lamport time applied.
    var lamport: UInt64
    /// At the central node every new op's arrival is logged (see `keepArrivalLog`).
    var logsArrivals: Bool
    /// At the central node each community's edits are written under an origin of their own.
    var perScopeOrigins: Bool
    /// When the backup this replica was restored from was made, while it waits for its own
    /// edits back from the central (see `Replica+Restored`).
    var restoredFrom: String?

    static func read(_ db: Database) throws -> WriteMeta {
        var meta = WriteMeta(journalOffset: 0, journalLines: 0, lamport: 0, logsArrivals: false, perScopeOrigins: false)
        // The whole table, a page of a few dozen rows: `WHERE key IN (...)` made SQLite build
        // a temporary index of the list on every call, which cost more than reading it all.
        try RawStatement(db, "SELECT key, value FROM meta").query { row in
            switch row.text(0) {
            case "journal_offset": meta.journalOffset = UInt64(row.text(1) ?? "") ?? 0
            case "journal_lines": meta.journalLines = Int(row.text(1) ?? "") ?? 0
            case "lamport": meta.lamport = UInt64(row.text(1) ?? "") ?? 0
            case "logs_arrivals": meta.logsArrivals = row.text(1) == "1"
            case "per_scope_origins": meta.perScopeOrigins = row.text(1) == "1"
            case Replica.restoredKey: meta.restoredFrom = row.text(1)
            default: break
            }
        }
        return meta
    }

    /// Writes where the journal ends and the Lamport time; the flags are set elsewhere.
    func save(_ db: Database) throws {
        try RawStatement(db, """
            INSERT OR REPLACE INTO meta (key, value) VALUES ('journal_offset', ?), ('journal_lines', ?), ('lamport', ?)
            """).execute(.text(String(journalOffset)), .text(String(journalLines)), .text(String(lamport)))
    }
}
