import Logging
import PostgresNIO
import YishiMerge
import YishiTrust

/// Every op the central holds, once, in the order it arrived: what stations pull from and
/// what every central process's own replica follows. Any number of central processes may
/// store into it and read from it at once.
///
/// The order is the hard part. Numbers from a sequence are handed out when a row is
/// written, not when its transaction commits, so with concurrent transactions a reader may
/// see number 12 before number 11 commits; a station whose cursor moved to 12 would never
/// get 11. So each community's stores are serialised by a transaction-scoped advisory
/// lock taken before any number is drawn, and released only after the commit is visible:
/// within a community, numbers become visible in order, and a reader that moves a cursor
/// per community never passes over one that commits later. Different communities store
/// in parallel. Stations pull their community by that number; a central process's own
/// replica follows every community at once, with a cursor for each (PROTOCOL.md, "Several
/// central processes").
public struct ArrivalLog: Sendable {
    /// One op as the central keeps it: its dot, its community and its journal line.
    public struct Entry: Sendable, Equatable {
        public var origin: String
        public var counter: Int64
        public var scope: String
        public var line: String
        /// The op's head in its origin's chain (YishiTrust), which the storing process proved.
        public var chain: [UInt8]?

        public init(origin: String, counter: Int64, scope: String, line: String, chain: [UInt8]? = nil) {
            self.origin = origin
            self.counter = counter
            self.scope = scope
            self.line = line
            self.chain = chain
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
    ///
    /// `checkpoints` vouch for the entries and are kept with them; `continuing` are the heads
    /// the entries were proved to continue (an origin's op before a run), checked again under
    /// the lock against what the log holds, so that two processes storing one origin at once
    /// cannot both be right about what came before.
    @discardableResult
    public func store(_ entries: [Entry], checkpoints: [Checkpoint] = [], continuing: [ChainPlace] = []) async throws -> Int {
        guard !entries.isEmpty else { return 0 }
        return try await database {
            return try await client.withTransaction(logger: logger) { connection in
                // Sorted, so that two transactions of several communities lock in one order.
                let scopes = Set(entries.map(\.scope)).sorted()
                for scope in scopes {
                    try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockClass), hashtext(\(scope)))", logger: logger)
                }
                try await checkContinuing(continuing, connection)
                // The numbers are drawn only now, under the lock, in the entries' order.
                let rows = try await connection.query("""
                    INSERT INTO op (origin, counter, scope, seq, line, chain)
                    SELECT o, c, s, nextval('arrival_seq'), l, NULLIF(h, ''::bytea)
                    FROM unnest(\(entries.map(\.origin))::text[], \(entries.map(\.counter))::int8[],
                                \(entries.map(\.scope))::text[], \(entries.map(\.line))::text[],
                                \(entries.map { ByteBuffer(bytes: $0.chain ?? []) })::bytea[]) WITH ORDINALITY AS e(o, c, s, l, h, n)
                    ORDER BY n
                    ON CONFLICT (origin, counter) DO NOTHING
                    RETURNING scope, origin, counter, seq
                    """, logger: logger)
                var stored: [String: Int] = [:]
                var heads: [String: Int64] = [:]
                var inserted: Set<String> = []
                for try await (scope, origin, counter, seq) in rows.decode((String, String, Int64, Int64).self) {
                    stored[scope, default: 0] += 1
                    heads[scope] = max(heads[scope] ?? 0, seq)
                    inserted.insert("\(origin)#\(counter)")
                }
                // Under the communities' locks, so a head only moves forward.
                if !heads.isEmpty {
                    try await connection.query("""
                        INSERT INTO scope_head (scope, seq) SELECT * FROM unnest(\(Array(heads.keys))::text[], \(Array(heads.values))::int8[])
                        ON CONFLICT (scope) DO UPDATE SET seq = greatest(scope_head.seq, excluded.seq)
                        """, logger: logger)
                }
                try await checkHeldAgain(entries.filter { !inserted.contains("\($0.origin)#\($0.counter)") }, connection)
                for (origin, mine) in Dictionary(grouping: entries, by: \.origin).sorted(by: { $0.key < $1.key }) {
                    try await advanceClock(of: origin, over: mine.map(\.counter), connection)
                }
                if !checkpoints.isEmpty {
                    try await connection.query("""
                        INSERT INTO checkpoint (origin, counter, key, head, signature)
                        SELECT * FROM unnest(\(checkpoints.map(\.origin.rawValue))::text[], \(checkpoints.map { Int64($0.counter) })::int8[],
                                             \(checkpoints.map(\.key.rawValue))::text[], \(checkpoints.map { ByteBuffer(bytes: $0.head) })::bytea[],
                                             \(checkpoints.map { ByteBuffer(bytes: $0.signature) })::bytea[])
                        ON CONFLICT DO NOTHING
                        """, logger: logger)
                }
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

    /// An origin's head after one of its ops.
    public struct ChainPlace: Sendable, Equatable {
        public var origin: String
        public var counter: Int64
        public var head: [UInt8]

        public init(origin: String, counter: Int64, head: [UInt8]) {
            self.origin = origin
            self.counter = counter
            self.head = head
        }
    }

    /// Each place the entries continue from must be the head the log holds there, where it
    /// holds that op: another head is another history of the origin, refused as a reused dot.
    private func checkContinuing(_ places: [ChainPlace], _ connection: PostgresConnection) async throws {
        guard !places.isEmpty else { return }
        let wanted = Dictionary(places.map { ("\($0.origin)#\($0.counter)", $0.head) }, uniquingKeysWith: { first, _ in first })
        let rows = try await connection.query("""
            SELECT origin, counter, chain FROM op
            WHERE (origin, counter) IN (SELECT * FROM unnest(\(places.map(\.origin))::text[], \(places.map(\.counter))::int8[]))
              AND chain IS NOT NULL
            """, logger: logger)
        for try await (origin, counter, chain) in rows.decode((String, Int64, ByteBuffer).self)
        where wanted["\(origin)#\(counter)"] != Array(buffer: chain) {
            throw Reused(origin: origin, counter: counter + 1)
        }
    }

    /// The heads the log holds after these ops (those it holds with a head).
    public func heads(at places: [(origin: String, counter: Int64)]) async throws -> [String: [UInt8]] {
        guard !places.isEmpty else { return [:] }
        return try await database {
            var heads: [String: [UInt8]] = [:]
            for try await (origin, counter, chain) in try await client.query("""
                SELECT origin, counter, chain FROM op
                WHERE (origin, counter) IN (SELECT * FROM unnest(\(places.map(\.origin))::text[], \(places.map(\.counter))::int8[]))
                  AND chain IS NOT NULL
                """, logger: logger).decode((String, Int64, ByteBuffer).self) {
                heads["\(origin)#\(counter)"] = Array(buffer: chain)
            }
            return heads
        }
    }

    /// The checkpoints the log keeps at these ops.
    public func checkpoints(at places: [(origin: String, counter: Int64)]) async throws -> [Checkpoint] {
        guard !places.isEmpty else { return [] }
        return try await database {
            var found: [Checkpoint] = []
            for try await (origin, counter, key, head, signature) in try await client.query("""
                SELECT origin, counter, key, head, signature FROM checkpoint
                WHERE (origin, counter) IN (SELECT * FROM unnest(\(places.map(\.origin))::text[], \(places.map(\.counter))::int8[]))
                ORDER BY origin, counter, key
                """, logger: logger).decode((String, Int64, String, ByteBuffer, ByteBuffer).self) {
                guard let origin = ReplicaID(rawValue: origin) else { continue }
                found.append(Checkpoint(origin: origin, counter: UInt64(counter), head: Array(buffer: head), key: KeyID(rawValue: key),
                                        signature: Array(buffer: signature)))
            }
            return found
        }
    }

    /// The highest counter of `origin` for which the log keeps a checkpoint signed by `key`.
    public func checkpointReach(origin: String, key: String) async throws -> UInt64 {
        try await database {
            for try await counter in try await client.query("""
                SELECT max(counter) FROM checkpoint WHERE origin = \(origin) AND key = \(key)
                """, logger: logger).decode(Int64?.self) { return UInt64(max(0, counter ?? 0)) }
            return 0
        }
    }

    /// Moves `origin`'s entry in origin_clock over the ops now stored without a gap after
    /// it. An origin writes in one community, whose lock the caller holds; `greatest`
    /// keeps the entry from going back should that ever not be so.
    ///
    /// Every counter of the batch is in the log now (stored or held before), so the run
    /// is followed through the batch's own counters first, and the log is read only past
    /// them: a push of 2,000 ops in order costs one probe, not a scan of what it stored.
    private func advanceClock(of origin: String, over counters: [Int64], _ connection: PostgresConnection) async throws {
        var held: Int64 = 0
        for try await counter in try await connection.query("SELECT counter FROM origin_clock WHERE origin = \(origin)", logger: logger)
            .decode(Int64.self) { held = counter }
        var next = held + 1
        for counter in counters.sorted() where counter >= next {
            guard counter == next else { break }
            next += 1
        }
        // Ops past a gap (their predecessor has not arrived) are read again by later
        // stores until it fills; there are few, as a station sends its ops in order.
        for try await counter in try await connection.query("""
            SELECT counter FROM op WHERE origin = \(origin) AND counter >= \(next) ORDER BY counter
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
        -> (lines: [String], dots: [Dot], cursor: Int64, more: Bool)
    {
        return try await database {
            let rows = try await client.query("""
                SELECT seq, origin, counter, line FROM op WHERE scope = \(scope) AND seq > \(cursor) ORDER BY seq LIMIT \(limit + 1)
                """, logger: logger)
            var lines: [String] = []
            var dots: [Dot] = []
            var last = cursor
            var count = 0
            for try await (seq, origin, counter, line) in rows.decode((Int64, String, Int64, String).self) {
                count += 1
                guard count <= limit else { break }
                last = seq
                if origin != excluding, let replica = ReplicaID(rawValue: origin) {
                    lines.append(line)
                    dots.append(Dot(replica: replica, counter: UInt64(counter)))
                }
            }
            return (lines, dots, last, count > limit)
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

    /// Every community's newest number: which communities a follower needs to ask.
    public func heads() async throws -> [String: Int64] {
        return try await database {
            var heads: [String: Int64] = [:]
            for try await (scope, seq) in try await client.query("SELECT scope, seq FROM scope_head", logger: logger)
                .decode((String, Int64).self) { heads[scope] = seq }
            return heads
        }
    }

    /// About `limit` ops of the communities in `cursors`, each after its own number, and
    /// the number each community read up to (only those that moved): what a central
    /// process applies to its own replica. Each community gives a prefix of what it will
    /// ever hold past its cursor, so reading again from the returned cursors never misses
    /// an op.
    ///
    /// Each community gives at most its share of `limit`: one short index range each, so
    /// a new process catching up a district of 300 communities reads what it applies, not
    /// 300 times that (a global `ORDER BY seq LIMIT` over every community's first `limit`
    /// made the database sort 600,000 rows to hand out 2,000).
    public func follow(after cursors: [String: Int64], limit: Int) async throws -> Page {
        guard !cursors.isEmpty else { return Page(entries: [], cursors: [:], more: []) }
        let share = max(1, (limit + cursors.count - 1) / cursors.count)
        return try await database {
            let rows = try await client.query("""
                SELECT o.seq, o.origin, o.counter, o.scope, o.line
                FROM unnest(\(Array(cursors.keys))::text[], \(Array(cursors.values))::int8[]) AS c(scope, after)
                CROSS JOIN LATERAL (
                    SELECT seq, origin, counter, scope, line FROM op
                    WHERE op.scope = c.scope AND op.seq > c.after ORDER BY seq LIMIT \(share)) o
                ORDER BY o.seq
                """, logger: logger)
            var entries: [Entry] = []
            var read: [String: Int64] = [:]
            var given: [String: Int] = [:]
            for try await (seq, origin, counter, scope, line) in rows.decode((Int64, String, Int64, String, String).self) {
                entries.append(Entry(origin: origin, counter: counter, scope: scope, line: line))
                read[scope] = max(read[scope] ?? 0, seq)
                given[scope, default: 0] += 1
            }
            return Page(entries: entries, cursors: read, more: Set(given.filter { $0.value >= share }.keys))
        }
    }

    /// What `follow` read.
    public struct Page: Sendable {
        public var entries: [Entry]
        /// The number each community read up to (only those that gave ops).
        public var cursors: [String: Int64]
        /// The communities that gave their whole share, and may hold more beyond it; the
        /// others held nothing more when read.
        public var more: Set<String>
    }

    /// The communities whose head is past the cursor `cursor(scope)` gives, with that
    /// cursor: what `follow` needs asked, empty when a follower has caught up.
    public func moved(since cursor: (String) throws -> Int64) async throws -> [String: Int64] {
        var moved: [String: Int64] = [:]
        for (scope, head) in try await heads() {
            let after = try cursor(scope)
            if head > after { moved[scope] = after }
        }
        return moved
    }

    /// Every station's lag by its id (of one community's stations, if given): its
    /// community's ops made elsewhere past its cursor. Counting costs what the lag is, so a
    /// community's page asks only for its own stations.
    public func lags(of community: String? = nil) async throws -> [String: Int] {
        return try await database {
            var lags: [String: Int] = [:]
            for try await (id, lag) in try await client.query("""
                SELECT s.id, (SELECT count(*) FROM op WHERE op.scope = s.community AND op.seq > s.cursor AND op.origin <> s.replica)
                FROM station s WHERE \(community) :: text IS NULL OR s.community = \(community)
                """, logger: logger).decode((String, Int).self) { lags[id] = lag }
            return lags
        }
    }

    /// Calls `arrived` with the community of every store any process commits, until
    /// cancelled; and with nil each time the listening begins, since what was stored
    /// before (or while the database was away) sent no notice to this process. The
    /// notices ride on a connection of the pool kept for them; when the database goes away
    /// the listening starts again a second later.
    public func listen(_ arrived: @escaping @Sendable (String?) -> Void) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notices in
                        arrived(nil)
                        for try await notice in notices { arrived(notice.payload) }
                    }
                }
            } catch {
                logger.debug("等待数据库的新记录通知时断开，一秒后重试：\(error)")
            }
            try? await Task.sleep(for: .seconds(1))
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
