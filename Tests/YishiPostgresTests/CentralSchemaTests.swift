import Foundation
import PostgresNIO
import Testing
import YishiCentral
import YishiMerge
import YishiPostgres
import YishiTrust

/// The schema on a real PostgreSQL server: made by the program, in steps, once, and a
/// database from a newer yishi refused.
@Suite(.enabled(if: TestDatabase.available, "needs the test cluster: YISHI_TEST_POSTGRES (scripts/postgres-cluster)"))
struct CentralSchemaTests {
    @Test func aNewDatabaseGetsEveryStepOnce() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                #expect(await database.health().schema == CentralSchema.latest)
            }
            // Opening again applies nothing twice.
            try await TestDatabase.withCentral(location, password) { database in
                let rows = try await database.client.query("SELECT version FROM yishi_schema ORDER BY version")
                var versions: [Int] = []
                for try await version in rows.decode(Int.self) { versions.append(version) }
                #expect(versions == CentralSchema.steps.map(\.version))
            }
        }
    }

    /// A database a yishi of step 5 wrote, records and all, taken to the latest step: the
    /// rows stay, origins and communities compare byte by byte (step 6), and every op gets
    /// its head in its origin's chain, up to a gap (step 7).
    @Test func anOlderDatabaseKeepsItsRecordsAndItsOpsGetTheirHeads() async throws {
        try await TestDatabase.withFresh { location, password in
            let database = try await CentralDatabase.open(location, password: password, connections: 2, logger: TestDatabase.logger)
            // Back to how step 5 left it, by hand: what an older yishi had made.
            try await database.client.query("""
                DROP TABLE op, origin_clock, scope_head, station, former_replica, retired_key, staff, staff_session, login_attempt,
                    central_identity, yishi_schema, checkpoint, origin_trust, directory_serial
                """)
            try await database.client.query("DROP SEQUENCE arrival_seq")
            try await database.client.query("CREATE TABLE yishi_schema (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            for step in CentralSchema.steps where step.version <= 5 {
                for statement in step.statements { try await database.client.query(PostgresQuery(unsafeSQL: statement)) }
                try await database.client.query("INSERT INTO yishi_schema (version, description) VALUES (\(step.version), \(step.description))")
            }
            // As that yishi stored them: three ops of HL3-01, and one of HL3-02 after a gap.
            for (origin, counter) in [("HL3-01", 1), ("HL3-01", 2), ("HL3-01", 3), ("HL3-02", 2)] {
                try await database.client.query("""
                    INSERT INTO op (origin, counter, scope, seq, line) VALUES (\(origin), \(Int64(counter)), 'HL3', nextval('arrival_seq'), \("op \(counter)"))
                    """)
            }
            try await database.client.query("INSERT INTO origin_clock (origin, counter) VALUES ('HL3-01', 3)")
            try await database.client.query("INSERT INTO scope_head (scope, seq) SELECT scope, max(seq) FROM op GROUP BY scope")
            await database.close()

            try await TestDatabase.withCentral(location, password) { database in
                #expect(await database.health().schema == CentralSchema.latest)
                var collations: [String: String] = [:]
                for try await (table, column, collation) in try await database.client.query("""
                    SELECT table_name, column_name, collation_name FROM information_schema.columns
                    WHERE (table_name, column_name) IN (('op', 'origin'), ('op', 'scope'), ('origin_clock', 'origin'), ('scope_head', 'scope'))
                    """).decode((String, String, String?).self) { collations["\(table).\(column)"] = collation }
                #expect(collations == ["op.origin": "C", "op.scope": "C", "origin_clock.origin": "C", "scope_head.scope": "C"])
                let found = try await database.log.arrivals(after: 0, scope: "HL3", excluding: nil, limit: 10)
                #expect(found.lines == ["op 1", "op 2", "op 3", "op 2"])
                #expect(try await database.log.held(of: "HL3-01") == 3)
                #expect(try await database.log.heads() == ["HL3": found.cursor])
                // The heads the program computes, from the seed; none after HL3-02's gap.
                var head = OriginChain.seed(ReplicaID(rawValue: "HL3-01")!)
                var expected: [String: [UInt8]] = [:]
                for counter in 1...3 {
                    head = OriginChain.next(head, opHash: OriginChain.opHash(Array("op \(counter)".utf8)))
                    expected["HL3-01#\(counter)"] = head
                }
                #expect(try await database.log.heads(at: [("HL3-01", 1), ("HL3-01", 2), ("HL3-01", 3), ("HL3-02", 2)]) == expected)
            }
        }
    }

    @Test func twoProcessesStartingAtOnceMigrateOnce() async throws {
        try await TestDatabase.withFresh { location, password in
            try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await TestDatabase.withCentral(location, password, connections: 2) { await $0.health().schema }
                    }
                }
                for try await version in group { #expect(version == CentralSchema.latest) }
            }
        }
    }

    @Test func aDatabaseFromANewerYishiIsRefused() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                let next = CentralSchema.latest + 1
                try await database.client.query("INSERT INTO yishi_schema (version, description) VALUES (\(next), '以后的版本')")
            }
            do {
                try await TestDatabase.withCentral(location, password) { _ in }
                Issue.record("a newer schema was accepted")
            } catch let error as DatabaseError {
                #expect(error == .newerSchema(found: CentralSchema.latest + 1, known: CentralSchema.latest))
                #expect(error.description.contains("请把这台机器上的 yishi 升级"))
            }
        }
    }

    @Test func aServerThatDoesNotAnswerIsSaidSo() async throws {
        // A port nobody listens on: the pool keeps trying to connect, and the opening
        // gives up with a Chinese reason instead of waiting with it. (How soon is not
        // asserted: in a full test run the cooperative pool wakes timers late; the fault
        // tests show stations hearing 503 while the database is away.)
        var location = try TestDatabase.serverLocation()
        location.port = try closedPort()
        do {
            try await TestDatabase.withCentral(location, try TestDatabase.password()) { _ in }
            Issue.record("connected to a closed port")
        } catch let error as CentralUnavailable {
            #expect(error.description.contains("中心的数据库现在连不上"))
        }
    }

    /// A port on 127.0.0.1 that was free a moment ago.
    func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
