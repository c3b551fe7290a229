import GRDB
import YishiMerge

/// Which records of a type a list shows, in SQL: filtered by field values, a range of one
/// field, words and a given set, ordered by one field (newest first) — so a page of a list
/// of ten thousand topics is one query for the page and one for the count, and SQLite does
/// the sorting. A field with several values waiting in a conflict matches on any of them.
public struct RecordQuery: Sendable {
    public var type: String
    /// The field lists order by, descending, then the record id descending. A record of
    /// the type without it is not listed (every record the loop makes has it). `raisedOn`
    /// has an index of its own (see the migrations).
    public var orderBy: String
    public var equals: [(field: String, value: String)] = []
    /// Inclusive bounds on the `orderBy` field's text (ISO dates compare as text).
    public var from: String?
    public var to: String?
    public var words: String?
    public var only: [String]?
    /// One community's records (at the central, which holds them all).
    public var scope: String?

    public init(type: String, orderBy: String) {
        self.type = type
        self.orderBy = orderBy
    }
}

extension Replica {
    /// How many records match, and the ids of those from `offset`, at most `limit`.
    public func records(_ query: RecordQuery, offset: Int, limit: Int) throws -> (total: Int, ids: [String]) {
        try records(query, offset: offset, limit: limit, walkingAbove: Self.walkListOrderAbove)
    }

    /// `walkingAbove`: from how many matches of a search the list order is walked; tests
    /// set it to check both ways give the same page.
    func records(_ query: RecordQuery, offset: Int, limit: Int, walkingAbove: Int) throws -> (total: Int, ids: [String]) {
        guard query.orderBy.allSatisfy({ $0.isASCII && $0.isLetter }) else { return (0, []) }
        // The order field is written into the SQL, not bound: only then can SQLite use the
        // partial index that holds exactly that field's values. The `+` keeps the record
        // range from tempting the planner into the primary key and a sort of every row.
        var conditions = ["o.field = '\(query.orderBy)'", "o.key = ''"]
        var arguments: [String] = []
        let words = query.words.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        // Words and nothing else but the community (the common search): counted from the
        // search table alone, without looking up each of perhaps thousands of records.
        var searchCount: (sql: String, arguments: [String])?
        if let words {
            // The search keeps to the type and the community itself: a word's matches are
            // fewer than a community's records, and far fewer than the district's.
            let search = try searchConditions(words, type: query.type, scope: query.scope)
            conditions.append("o.record IN (SELECT record FROM search_record WHERE \(search.sql))")
            arguments += search.arguments
            if query.equals.isEmpty && query.from == nil && query.to == nil && query.only == nil {
                searchCount = ("SELECT count(*) FROM search_record WHERE \(search.sql)", search.arguments)
            }
        } else if let scope = query.scope {
            // One community of many (the central): its records through the scope index,
            // rather than the whole district's list order filtered down to them.
            conditions.append("o.record IN (SELECT record FROM field INDEXED BY field_by_scope WHERE scope = ? AND record >= ? AND record < ? AND field = '\(query.orderBy)')")
            arguments += [scope, query.type + "/", query.type + "0"]
        } else {
            conditions += ["+o.record >= ?", "+o.record < ?"]
            arguments += [query.type + "/", query.type + "0"]
        }
        for (field, value) in query.equals {
            conditions.append("EXISTS (SELECT 1 FROM value v WHERE v.record = o.record AND v.field = ? AND v.key = '' AND v.content = ?)")
            arguments += [field, value]
        }
        if let from = query.from { conditions.append("o.content >= ?"); arguments.append(from) }
        if let to = query.to { conditions.append("o.content <= ?"); arguments.append(to) }
        if let only = query.only {
            guard !only.isEmpty else { return (0, []) }
            conditions.append("o.record IN (\(only.map { _ in "?" }.joined(separator: ",")))")
            arguments += only
        }
        let filter = conditions.joined(separator: " AND ")
        return try pool.read { db in
            let bound = arguments.map { RawStatement.Value.text($0) }
            var total = 0
            if let searchCount {
                try RawStatement(db, searchCount.sql).query(searchCount.arguments.map { .text($0) }) { total = Int($0.integer(0)) }
            } else {
                try RawStatement(db, "SELECT count(*) FROM value o WHERE \(filter)").query(bound) { total = Int($0.integer(0)) }
            }
            // Many matches (a common word across the district): walk the list order and keep
            // the matches, which stops after a page. Few: look each up and sort them.
            let walk = words != nil && total > walkingAbove && query.orderBy == "raisedOn" ? "INDEXED BY value_list_order" : ""
            // A date in conflict (two values) is twice in the index: the record is shown
            // once, at its first place (and counted twice, which a person will not notice).
            var ids: [String] = []
            var seen = Set<String>()
            try RawStatement(db, "SELECT o.record FROM value o \(walk) WHERE \(filter) ORDER BY o.content DESC, o.record DESC LIMIT ? OFFSET ?")
                .query(bound + [.integer(Int64(min(limit, Int(Int32.max)))), .integer(Int64(offset))]) { row in
                    let id = row.text(0) ?? ""
                    if seen.insert(id).inserted { ids.append(id) }
                }
            return (total, ids)
        }
    }

    /// Where walking the list order (a few rows examined per row shown) beats reading every
    /// match and sorting: measured on a district, a word in 1 of 40 topics sorted 15,000
    /// matches in about 40 ms and walked in 30, and walking wins more as matches grow.
    static let walkListOrderAbove = 5_000
}
