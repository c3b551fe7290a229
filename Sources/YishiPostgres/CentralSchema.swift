import Logging
import PostgresNIO

/// The central's tables in PostgreSQL, created and changed by the program itself in
/// numbered steps. Each step runs in its own transaction with its number recorded in
/// `yishi_schema`, under an advisory lock, so that two central processes starting at once
/// against a new database apply each step once; a process refuses a database whose
/// number is higher than the last step it knows.
public enum CentralSchema {
    public struct Step: Sendable {
        public var version: Int
        public var description: String
        public var statements: [String]
    }

    /// The steps, oldest first. Never edit a step that has shipped: add the next one.
    public static let steps: [Step] = [
        Step(version: 1, description: "修改日志与到达顺序", statements: [
            // One row per op, keyed by its dot, so that storing it twice (a retry, or two
            // processes receiving it at once) stores it once. `seq` is the arrival order
            // stations pull by; `tx` is the transaction that stored the row, which the
            // processes' own replicas follow by (see ArrivalLog). The sequence keeps the
            // default CACHE 1: a cached range per session would hand out numbers out of
            // the order in which a community's lock is taken.
            "CREATE SEQUENCE arrival_seq",
            """
            CREATE TABLE op (
                origin text NOT NULL,
                counter bigint NOT NULL,
                scope text NOT NULL,
                seq bigint NOT NULL UNIQUE,
                tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
                line text NOT NULL,
                PRIMARY KEY (origin, counter)
            )
            """,
            "CREATE INDEX op_by_scope ON op (scope, seq)",
            "CREATE INDEX op_by_tx ON op (tx, seq)",
        ]),
        Step(version: 2, description: "站点登记与每个来源的连续计数", statements: [
            // As stations.sqlite beside a single central (StationRegistry), shared now:
            // a request's sequence is claimed here, so a replay is refused whichever
            // process it reaches.
            """
            CREATE TABLE station (
                id text PRIMARY KEY,
                community text NOT NULL,
                public_key text NOT NULL,
                revoked boolean NOT NULL DEFAULT false,
                last_sequence bigint NOT NULL DEFAULT 0,
                cursor bigint NOT NULL DEFAULT 0,
                last_contact bigint NOT NULL DEFAULT 0,
                skew bigint NOT NULL DEFAULT 0,
                replica text NOT NULL,
                key_since bigint NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE former_replica (
                station text NOT NULL REFERENCES station (id),
                replica text NOT NULL,
                until bigint NOT NULL,
                PRIMARY KEY (station, replica)
            )
            """,
            "CREATE TABLE retired_key (public_key text PRIMARY KEY, station text NOT NULL, retired bigint NOT NULL)",
            // How many of an origin's ops the log holds without a gap: what a station is told
            // as `yours` and a new box as `have`. Kept by each store, not counted per request.
            "CREATE TABLE origin_clock (origin text PRIMARY KEY, counter bigint NOT NULL)",
        ]),
        Step(version: 3, description: "副本按社区跟随", statements: [
            // Replicas now follow each community by its own number, as stations pull,
            // instead of by `(tx, seq)` under the oldest running transaction. That rule
            // let any transaction open on the server hold every follower back, and twice
            // under load on a many-core machine a follower missed ops it should have read
            // (ArrivalLogTests); the per-community order is the one pulls are proven on.
            // `scope_head` is each community's newest number, so that a follower asks only
            // the communities that moved.
            "CREATE TABLE scope_head (scope text PRIMARY KEY, seq bigint NOT NULL)",
            "INSERT INTO scope_head (scope, seq) SELECT scope, max(seq) FROM op GROUP BY scope",
            "DROP INDEX op_by_tx",
            "ALTER TABLE op DROP COLUMN tx",
        ]),
        Step(version: 4, description: "街道工作台的账号与会话", statements: [
            // As staff.sqlite beside a single central (StaffDirectory), shared now: a
            // person logged in through one process is logged in on all of them, and a
            // guesser's failures count wherever they land. Only tokens' hashes are kept.
            """
            CREATE TABLE staff (name text PRIMARY KEY, role text NOT NULL, password_hash text NOT NULL,
                disabled boolean NOT NULL DEFAULT false, created double precision NOT NULL)
            """,
            """
            CREATE TABLE staff_session (token_hash text PRIMARY KEY, name text NOT NULL REFERENCES staff (name),
                csrf text NOT NULL, expires double precision NOT NULL)
            """,
            "CREATE TABLE login_failure (name text PRIMARY KEY, count integer NOT NULL, last double precision NOT NULL)",
        ]),
        Step(version: 5, description: "中心的标识", statements: [
            // A name for this central's records, made once: a process's folder remembers
            // the one it follows, and refuses another database (SharedCentral.checkFolder).
            "CREATE TABLE central_identity (id text PRIMARY KEY)",
            "INSERT INTO central_identity SELECT md5(random()::text || clock_timestamp()::text)",
        ]),
        Step(version: 6, description: "来源与社区按字节比较", statements: [
            // Origins and communities are ASCII names, looked up and never sorted for
            // people: compared byte by byte (COLLATE "C") instead of by the server's
            // locale (strcoll per comparison, the dearer under zh_CN.UTF-8), every store's
            // index descents cost less. The tables keep their rows; only their indexes
            // are built again.
            #"ALTER TABLE op ALTER COLUMN origin TYPE text COLLATE "C", ALTER COLUMN scope TYPE text COLLATE "C""#,
            #"ALTER TABLE origin_clock ALTER COLUMN origin TYPE text COLLATE "C""#,
            #"ALTER TABLE scope_head ALTER COLUMN scope TYPE text COLLATE "C""#,
        ]),
        Step(version: 7, description: "签名链与站点名录", statements: [
            // Every op's head in its origin's hash chain (YishiTrust.OriginChain) and the
            // checkpoints that vouch for runs of them: what pulls prove their ops with and
            // pushes continue. The ops stored before this step get their heads here, each
            // origin from its first op on, up to a gap.
            "ALTER TABLE op ADD COLUMN chain bytea",
            #"""
            CREATE TABLE checkpoint (
                origin text COLLATE "C" NOT NULL,
                counter bigint NOT NULL,
                key text NOT NULL,
                head bytea NOT NULL,
                signature bytea NOT NULL,
                PRIMARY KEY (origin, counter, key)
            )
            """#,
            #"""
            DO $$
            DECLARE
                r record;
                current_origin text := NULL;
                expected bigint;
                head bytea;
                broken boolean;
            BEGIN
                FOR r IN SELECT origin, counter, line FROM op ORDER BY origin, counter LOOP
                    IF current_origin IS DISTINCT FROM r.origin THEN
                        current_origin := r.origin;
                        expected := 1;
                        broken := false;
                        head := sha256(convert_to('yishi-chain v1' || chr(10) || r.origin, 'UTF8'));
                    END IF;
                    IF broken OR r.counter <> expected THEN
                        broken := true;
                        CONTINUE;
                    END IF;
                    head := sha256(head || sha256(convert_to(r.line, 'UTF8')));
                    UPDATE op SET chain = head WHERE origin = r.origin AND counter = r.counter;
                    expected := expected + 1;
                END LOOP;
            END $$
            """#,
            // Which boxes sign (as StationRegistry's step v4-trust): every box enrolled before
            // this step was on the previous release. The serial rises with every change the
            // directories show.
            "CREATE TABLE origin_trust (origin text PRIMARY KEY, legacy_through bigint)",
            "INSERT INTO origin_trust (origin) SELECT replica FROM station UNION SELECT replica FROM former_replica ON CONFLICT DO NOTHING",
            "ALTER TABLE retired_key ADD COLUMN origin text",
            "CREATE TABLE directory_serial (serial bigint NOT NULL)",
            "INSERT INTO directory_serial (serial) VALUES (1)",
        ]),
        Step(version: 8, description: "按来源地址限制登录尝试", statements: [
            // Failures counted per name let anyone keep a name locked out; per address, a
            // guesser waits and the person at their own desk does not (StaffDirectory).
            "CREATE TABLE login_attempt (address text PRIMARY KEY, count integer NOT NULL, last double precision NOT NULL)",
            "DROP TABLE login_failure",
        ]),
    ]

    public static var latest: Int { steps.last?.version ?? 0 }

    /// An arbitrary number that names this lock among the server's advisory locks.
    static let migrationLock: Int64 = 0x7969_7368_6900_0001

    /// Brings the database up to `latest` and returns the version it now holds; throws
    /// `DatabaseError.newerSchema` for a database a newer yishi has changed.
    @discardableResult
    public static func migrate(_ client: PostgresClient, logger: Logger) async throws -> Int {
        do {
            for step in steps {
                let applied: Bool = try await client.withTransaction(logger: logger) { connection in
                    try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                    try await connection.query("""
                        CREATE TABLE IF NOT EXISTS yishi_schema (
                            version integer PRIMARY KEY,
                            description text NOT NULL,
                            applied_at timestamptz NOT NULL DEFAULT now())
                        """, logger: logger)
                    let found = try await version(connection, logger: logger)
                    if found > latest { throw DatabaseError.newerSchema(found: found, known: latest) }
                    guard found < step.version else { return false }
                    for statement in step.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO yishi_schema (version, description) VALUES (\(step.version), \(step.description))", logger: logger)
                    return true
                }
                if applied { logger.notice("数据库结构升级到第 \(step.version) 版：\(step.description)") }
            }
            return try await client.withConnection { try await version($0, logger: logger) }
        } catch {
            throw DatabaseError.wrapping(error)
        }
    }

    /// The version a database holds: 0 when yishi has never written to it.
    public static func version(_ client: PostgresClient, logger: Logger) async throws -> Int {
        do {
            return try await client.withConnection { try await version($0, logger: logger) }
        } catch {
            throw DatabaseError.wrapping(error)
        }
    }

    static func version(_ connection: PostgresConnection, logger: Logger) async throws -> Int {
        // Asked first: a query naming a table that does not exist fails before it runs.
        for try await exists in try await connection.query("SELECT to_regclass('yishi_schema') IS NOT NULL", logger: logger)
            .decode(Bool.self) where !exists { return 0 }
        for try await version in try await connection.query("SELECT coalesce(max(version), 0) FROM yishi_schema", logger: logger)
            .decode(Int.self) { return version }
        return 0
    }
}
