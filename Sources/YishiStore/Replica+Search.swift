import Foundation
import GRDB
import YishiMerge

extension Replica {
    /// Records whose words contain `query`, best match first. A query of a single Chinese
    /// character cannot form a pair, so it is looked up as a plain substring instead.
    public func search(_ query: String, type: String? = nil, limit: Int = 50) throws -> [String] {
        try updateSearchIndex()
        let prefix = type.map { $0 + "/" } ?? ""
        return try pool.read { db in
            let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let phrase = SearchText.phrase(trimmed), trimmed.count > 1 else {
                return try String.fetchAll(db, sql: """
                    SELECT s.record FROM record_search f JOIN search_record s ON s.row = f.rowid
                    WHERE f.plain LIKE ? ESCAPE '\\' AND s.record LIKE ? ORDER BY s.record LIMIT ?
                    """, arguments: ["%" + Self.likeLiteral(trimmed) + "%", prefix + "%", limit])
            }
            return try String.fetchAll(db, sql: """
                SELECT s.record FROM record_search f JOIN search_record s ON s.row = f.rowid
                WHERE f.body MATCH ? AND s.record LIKE ? ORDER BY f.rank LIMIT ?
                """, arguments: [phrase, prefix + "%", limit])
        }
    }

    /// `%` and `_` are wildcards to LIKE: a person searching for them means the characters.
    static func likeLiteral(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    /// The rows of `search_record` (records of one type, of one community if `scope` is
    /// given) whose words contain `query`, as SQL conditions on `search_record` for use inside
    /// a larger query (a filtered list, its count); the index is brought up to date first.
    /// The full-text table gives only row numbers, so the stored text of the thousands of
    /// rows a common word matches is never read.
    func searchConditions(_ query: String, type: String, scope: String?) throws -> (sql: String, arguments: [String]) {
        try updateSearchIndex()
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        var conditions = ["record >= ?", "record < ?"]
        var arguments = [type + "/", type + "0"]
        if let scope {
            conditions.append("scope = ?")
            arguments.append(scope)
        }
        if let phrase = SearchText.phrase(trimmed), trimmed.count > 1 {
            conditions.append("row IN (SELECT rowid FROM record_search WHERE body MATCH ?)")
            arguments.append(phrase)
        } else {
            conditions.append("row IN (SELECT rowid FROM record_search WHERE plain LIKE ? ESCAPE '\\')")
            arguments.append("%" + Self.likeLiteral(trimmed) + "%")
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    /// Re-indexes the records that ops touched since the last search, a thousand records
    /// to a transaction so that a long backlog (a central that has just taken in a
    /// district) never holds up the ops arriving meanwhile for long. The central calls
    /// this in the background, so a search seldom finds much to do.
    public func updateSearchIndex() throws {
        while try pool.write({ db in try Self.reindex(db, limit: 1_000) }) {}
    }

    /// How many records ops touched since they were last indexed for search.
    public func staleSearchRecords() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM search_stale") ?? 0 }
    }

    /// Re-indexes up to `limit` stale records; true when some were.
    private static func reindex(_ db: Database, limit: Int) throws -> Bool {
        let stale = try String.fetchAll(db, sql: "SELECT record FROM search_stale LIMIT ?", arguments: [limit])
        guard !stale.isEmpty else { return false }
        let states = try ValueRows.fieldStates(db, records: stale)
        let scopes = try scopes(db, ofRecords: stale)
        // Prepared once for the batch: parsing a statement per record cost more than
        // indexing it did.
        let rowOf = try db.cachedStatement(sql: "SELECT row FROM search_record WHERE record = ?")
        let dropText = try db.cachedStatement(sql: "DELETE FROM record_search WHERE rowid = ?")
        let putTextAt = try db.cachedStatement(sql: "INSERT INTO record_search (rowid, record, plain, body) VALUES (?, ?, ?, ?)")
        let putText = try db.cachedStatement(sql: "INSERT INTO record_search (record, plain, body) VALUES (?, ?, ?)")
        let putRow = try db.cachedStatement(sql: "INSERT INTO search_record (row, record, scope) VALUES (?, ?, ?)")
        let fresh = try db.cachedStatement(sql: "DELETE FROM search_stale WHERE record = ?")
        for record in stale {
            var words: [String] = []
            for (_, state) in (states[record] ?? [:]).sorted(by: { $0.key < $1.key }) {
                switch state.kind {
                case .text: words.append(state.document.text)
                case .set: words.append(contentsOf: state.elements)
                case .entry: words.append(contentsOf: state.values.keys.compactMap { state.resolution(at: $0).shown?.content })
                case .register, .status: if let shown = state.resolution(at: "").shown?.content { words.append(shown) }
                }
            }
            let plain = words.joined(separator: "\n")
            let body = SearchText.tokens(plain).joined(separator: " ")
            if let row = try Int64.fetchOne(rowOf, arguments: [record]) {
                try dropText.execute(arguments: [row])
                try putTextAt.execute(arguments: [row, record, plain, body])
            } else {
                try putText.execute(arguments: [record, plain, body])
                try putRow.execute(arguments: [db.lastInsertedRowID, record, scopes[record] ?? ""])
            }
            try fresh.execute(arguments: [record])
        }
        return true
    }

    /// Every op on a record, oldest first in causal order: who changed what, when, where.
    public func history(ofRecord record: String) throws -> [Op] {
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT journal_offset, journal_length FROM op WHERE record = ? ORDER BY lamport, replica, counter
                """, arguments: [record])
        }
        return try rows.map { row in
            try OpCodec.decode(try journal.read(from: UInt64(row[0] as Int64), length: row[1]))
        }
    }
}
