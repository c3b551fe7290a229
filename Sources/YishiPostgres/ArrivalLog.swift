import Logging
import PostgresNIO

/// Every op the central holds, once, in the order it arrived: what stations pull from and
/// what every central process's own replica follows. Any number of central processes may
/// store into it and read from it at once.
///
/// The order is the hard part. Numbers from a sequence are handed out when a row is
/// written, not when its transaction commits, so with concurrent transactions a reader may
/// see number 12 before number 11 commits; a station whose cursor moved to 12 would never
/// get 11. Two answers, one for each kind of reader (PROTOCOL.md, "Several central
/// processes"):
///
/// - Stations pull one community at a time by a single number. Each community's stores
///   are serialised by a transaction-scoped advisory lock taken before any number is
///   drawn; the lock is released only after the commit is visible, so within a community
///   numbers become visible in order and a pull never passes over one that commits later.
///   Different communities store in parallel.
/// - A central process's replica follows every community by `(tx, seq)`: the storing
///   transaction's id, then the number. It reads only rows of transactions older than
///   every transaction still running (`pg_snapshot_xmin`), which can gain no more rows,
///   so a cursor past them never passes over anything.
public struct ArrivalLog: Sendable {
    /// One op as the central keeps it: its dot, its community and its journal line.
    public struct Entry: Sendable, Equatable {
        public var origin: String
        public var counter: Int64
        public var scope: String
        public var line: String

        public init(origin: String, counter: Int64, scope: String, line: String) {
            self.origin = origin
            self.counter = counter
            self.scope = scope
            self.line = line
        }
    }

    /// Where a follower has read up to: a transaction id (xid8, 64 bits) and a number.
    public struct FollowCursor: Sendable, Equatable, Codable {
        public var tx: UInt64
        public var seq: Int64

        public static let start = FollowCursor(tx: 0, seq: 0)

        public init(tx: UInt64, seq: Int64) {
            self.tx = tx
            self.seq = seq
        }
    }

    /// The channel NOTIFY announces new arrivals on, with the community as its payload.
    public static let channel = "yishi_arrivals"

    /// The advisory locks' first key, naming them as the arrival order's among the server's.
    static let lockClass: Int32 = 0x5949_5348

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores the ops not stored before, in the given order, and returns how many were new.
    /// One transaction: all of them or, if the server goes away, none; sending the same
    /// entries again then stores each once.
    @discardableResult
    public func store(_ entries: [Entry]) async throws -> Int {
        guard !entries.isEmpty else { return 0 }
        return try await database {
            return try await client.withTransaction(logger: logger) { connection in
                // Sorted, so that two transactions of several communities lock in one order.
                let scopes = Set(entries.map(\.scope)).sorted()
                for scope in scopes {
                    try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockClass), hashtext(\(scope)))", logger: logger)
                }
                // The numbers are drawn only now, under the lock, in the entries' order.
                let rows = try await connection.query("""
                    INSERT INTO op (origin, counter, scope, seq, line)
                    SELECT o, c, s, nextval('arrival_seq'), l
                    FROM unnest(\(entries.map(\.origin))::text[], \(entries.map(\.counter))::int8[],
                                \(entries.map(\.scope))::text[], \(entries.map(\.line))::text[]) WITH ORDINALITY AS e(o, c, s, l, n)
                    ORDER BY n
                    ON CONFLICT (origin, counter) DO NOTHING
                    RETURNING scope, origin, counter
                    """, logger: logger)
                var stored: [String: Int] = [:]
                var inserted: Set<String> = []
                for try await (scope, origin, counter) in rows.decode((String, String, Int64).self) {
                    stored[scope, default: 0] += 1
                    inserted.insert("\(origin)#\(counter)")
                }
                try await checkHeldAgain(entries.filter { !inserted.contains("\($0.origin)#\($0.counter)") }, connection)
                for origin in Set(entries.map(\.origin)).sorted() { try await advanceClock(of: origin, connection) }
                // Delivered at commit: the other processes' followers and pulls wake up.
                for scope in stored.keys.sorted() {
                    try await connection.query("SELECT pg_notify(\(Self.channel), \(scope))", logger: logger)
                }
                return stored.values.reduce(0, +)
            }
        }
    }

    /// A dot held already must carry the same op: one with other content (a box restored
    /// from an old backup that numbered new edits again) is refused with the whole batch,
    /// as the single central's replica refuses it, rather than silently dropped.
    private func checkHeldAgain(_ entries: [Entry], _ connection: PostgresConnection) async throws {
        guard !entries.isEmpty else { return }
        let incoming = Dictionary(entries.map { ("\($0.origin)#\($0.counter)", $0.line) }, uniquingKeysWith: { first, _ in first })
        let rows = try await connection.query("""
            SELECT origin, counter, line FROM op
            WHERE (origin, counter) IN (SELECT * FROM unnest(\(entries.map(\.origin))::text[], \(entries.map(\.counter))::int8[]))
            """, logger: logger)
        for try await (origin, counter, line) in rows.decode((String, Int64, String).self) where incoming["\(origin)#\(counter)"] != line {
            throw Reused(origin: origin, counter: counter)
        }
    }

    /// An op whose dot the log holds with other content.
    public struct Reused: Error, Equatable {
        public var origin: String
        public var counter: Int64
    }

    /// Moves `origin`'s entry in origin_clock over the ops now stored without a gap after
    /// it. An origin writes in one community, whose lock the caller holds; `greatest`
    /// keeps the entry from going back should that ever not be so.
    private func advanceClock(of origin: String, _ connection: PostgresConnection) async throws {
        var held: Int64 = 0
        for try await counter in try await connection.query("SELECT counter FROM origin_clock WHERE origin = \(origin)", logger: logger)
            .decode(Int64.self) { held = counter }
        var next = held + 1
        // Ops past a gap (their predecessor has not arrived) are read again by later
        // stores until it fills; there are few, as a station sends its ops in order.
        for try await counter in try await connection.query("""
            SELECT counter FROM op WHERE origin = \(origin) AND counter > \(held) ORDER BY counter
            """, logger: logger).decode(Int64.self) {
            guard counter == next else { break }
            next += 1
        }
        guard next - 1 > held else { return }
        try await connection.query("""
            INSERT INTO origin_clock (origin, counter) VALUES (\(origin), \(next - 1))
            ON CONFLICT (origin) DO UPDATE SET counter = greatest(origin_clock.counter, excluded.counter)
            """, logger: logger)
    }

    /// How many of `origin`'s ops the log holds without a gap: `yours` in a pull's answer,
    /// `have` for a former box in `hello`.
    public func held(of origin: String) async throws -> UInt64 {
        return try await database {
                for try await counter in try await client.query("SELECT counter FROM origin_clock WHERE origin = \(origin)", logger: logger)
                    .decode(Int64.self) { return UInt64(counter) }
                return 0
        }
    }

    /// Journal lines of `scope`'s ops that arrived after `cursor`, not made by `excluding`
    /// (a station has its own), oldest first; the cursor after them (past the excluded
    /// ones too); and whether more follow. The same answer from every process.
    public func arrivals(after cursor: Int64, scope: String, excluding: String?, limit: Int) async throws
        -> (lines: [String], cursor: Int64, more: Bool)
    {
        return try await database {
            let rows = try await client.query("""
                SELECT seq, origin, line FROM op WHERE scope = \(scope) AND seq > \(cursor) ORDER BY seq LIMIT \(limit + 1)
                """, logger: logger)
            var lines: [String] = []
            var last = cursor
            var count = 0
            for try await (seq, origin, line) in rows.decode((Int64, String, String).self) {
                count += 1
                guard count <= limit else { break }
                last = seq
                if origin != excluding { lines.append(line) }
            }
            return (lines, last, count > limit)
        }
    }

    /// How many of `scope`'s ops arrived after `cursor`, not made by `excluding`: a
    /// station's lag, and the total its catch-up shows.
    public func arrivalCount(after cursor: Int64, scope: String, excluding: String? = nil) async throws -> Int {
        return try await database {
            let rows = try await client.query("""
                SELECT count(*) FROM op WHERE scope = \(scope) AND seq > \(cursor) AND origin <> \(excluding ?? "")
                """, logger: logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    /// Up to `limit` ops of every community after `cursor` in `(tx, seq)` order, from
    /// transactions that have all ended, and the cursor after them: what a central
    /// process applies to its own replica. Reading again from the returned cursor never
    /// misses an op, however the transactions that stored them interleaved.
    public func follow(after cursor: FollowCursor, limit: Int) async throws -> (entries: [Entry], cursor: FollowCursor) {
        return try await database {
            let rows = try await client.query("""
                SELECT tx::text, seq, origin, counter, scope, line FROM op
                WHERE (tx, seq) > (\(String(cursor.tx))::xid8, \(cursor.seq))
                  AND tx < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY tx, seq LIMIT \(limit)
                """, logger: logger)
            var entries: [Entry] = []
            var last = cursor
            for try await (tx, seq, origin, counter, scope, line) in rows.decode((String, Int64, String, Int64, String, String).self) {
                entries.append(Entry(origin: origin, counter: counter, scope: scope, line: line))
                last = FollowCursor(tx: UInt64(tx) ?? last.tx, seq: seq)
            }
            return (entries, last)
        }
    }

    /// The number of ops held, by community.
    public func counts() async throws -> [String: Int] {
        return try await database {
            var counts: [String: Int] = [:]
            for try await (scope, count) in try await client.query("SELECT scope, count(*) FROM op GROUP BY scope", logger: logger)
                .decode((String, Int).self) { counts[scope] = count }
            return counts
        }
    }
}
