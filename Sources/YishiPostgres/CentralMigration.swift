import Foundation
import Logging
import PostgresNIO
import YishiCentral
import YishiDesk
import YishiStore
import YishiTrust

/// Moves a single SQLite central's records and stations into an empty PostgreSQL
/// database, so that its stations sync on with processes on that database as if nothing
/// had happened: every op with its arrival number (each station's cursor is one of them,
/// so none pulls again what it has and none misses anything), the sequence set past them,
/// each origin's gap-free count (what stations are told they have acknowledged), and every
/// station with its key, request sequence, cursor, former boxes and retired keys.
///
/// One transaction: a migration that fails or is stopped leaves the database empty.
public enum CentralMigration {
    public struct Report: Sendable, Equatable {
        public var ops: Int
        public var stations: Int
        public var accounts: Int = 0
    }

    static let batch = 5_000

    public static func run(from node: CentralNode, into database: CentralDatabase, progress: ProgressReport? = nil) async throws -> Report {
        let total = try node.replica.arrivalLogCount()
        let registry = try node.registry.export()
        // The office's accounts, password hashes and all, so that everyone logs in as before.
        let staffFile = node.replica.directory.url.appendingPathComponent(StaffDirectory.fileName)
        let accounts = FileManager.default.fileExists(atPath: staffFile.path)
            ? try StaffDirectory(file: staffFile, roles: []).export() : []
        let logger = database.logger
        // No deadline, unlike the sync endpoints' calls: a person runs this once and watches it.
        do {
            return try await database.client.withTransaction(logger: logger) { connection in
                for try await (ops, stations) in try await connection.query(
                    "SELECT (SELECT count(*) FROM op), (SELECT count(*) FROM station)", logger: logger).decode((Int, Int).self)
                where ops + stations > 0 {
                    throw DatabaseError.notEmpty(database.location.description, ops: ops, stations: stations)
                }
                var copied = 0
                var last: UInt64 = 0
                while true {
                    try progress?(WorkProgress("复制修改", done: Int64(copied), total: total))
                    let arrivals = try node.replica.arrivalLog(after: last, limit: batch)
                    guard let final = arrivals.last else { break }
                    try await connection.query("""
                        INSERT INTO op (origin, counter, scope, seq, line, chain)
                        SELECT o, c, s, q, l, NULLIF(h, ''::bytea)
                        FROM unnest(\(arrivals.map(\.origin))::text[], \(arrivals.map { Int64($0.counter) })::int8[],
                                    \(arrivals.map(\.scope))::text[], \(arrivals.map { Int64($0.seq) })::int8[],
                                    \(arrivals.map(\.line))::text[], \(arrivals.map { ByteBuffer(bytes: $0.chain ?? []) })::bytea[]) AS a(o, c, s, q, l, h)
                        """, logger: logger)
                    copied += arrivals.count
                    last = final.seq
                }
                try progress?(WorkProgress("复制修改", done: Int64(copied), total: total))
                // New arrivals are numbered after the old ones.
                if last > 0 { try await connection.query("SELECT setval('arrival_seq', \(Int64(last)))", logger: logger) }
                try await connection.query("INSERT INTO scope_head (scope, seq) SELECT scope, max(seq) FROM op GROUP BY scope", logger: logger)
                // A counter equal to its rank among its origin's is in the gap-free prefix.
                try await connection.query("""
                    INSERT INTO origin_clock (origin, counter)
                    SELECT origin, max(counter) FROM (
                        SELECT origin, counter, row_number() OVER (PARTITION BY origin ORDER BY counter) AS rank FROM op) ranked
                    WHERE counter = rank GROUP BY origin
                    """, logger: logger)
                try progress?(WorkProgress("复制站点登记", done: 0, total: Int64(registry.stations.count)))
                for (station, lastSequence) in registry.stations {
                    try await connection.query("""
                        INSERT INTO station (id, community, public_key, revoked, last_sequence, cursor, last_contact, skew, replica, key_since)
                        VALUES (\(station.id), \(station.community), \(station.publicKey), \(station.revoked), \(Int64(lastSequence)),
                                \(Int64(station.cursor)), \(station.lastContact), \(station.skew), \(station.replica), \(station.keySince))
                        """, logger: logger)
                }
                for former in registry.formerReplicas {
                    try await connection.query("""
                        INSERT INTO former_replica (station, replica, until) VALUES (\(former.station), \(former.replica), \(former.until))
                        """, logger: logger)
                }
                for retired in registry.retiredKeys {
                    try await connection.query("""
                        INSERT INTO retired_key (public_key, station, retired, origin)
                        VALUES (\(retired.publicKey), \(retired.station), \(retired.retired), \(retired.origin))
                        """, logger: logger)
                }
                // What vouches for the ops, and which boxes signed what, as the single central had it.
                for checkpoint in try node.replica.keptCheckpoints() {
                    try await connection.query("""
                        INSERT INTO checkpoint (origin, counter, key, head, signature)
                        VALUES (\(checkpoint.origin.rawValue), \(Int64(checkpoint.counter)), \(checkpoint.key.rawValue),
                                \(ByteBuffer(bytes: checkpoint.head)), \(ByteBuffer(bytes: checkpoint.signature)))
                        """, logger: logger)
                }
                try await connection.query("DELETE FROM origin_trust", logger: logger)
                for (origin, legacy) in registry.legacy {
                    let through: Int64? = if case .through(let last) = legacy { Int64(clamping: last) } else { nil }
                    try await connection.query("INSERT INTO origin_trust (origin, legacy_through) VALUES (\(origin), \(through))", logger: logger)
                }
                try await connection.query("UPDATE directory_serial SET serial = \(Int64(clamping: registry.serial))", logger: logger)
                try progress?(WorkProgress("复制站点登记", done: Int64(registry.stations.count), total: Int64(registry.stations.count)))
                try await PostgresAccountBook.copy(accounts, connection, logger: logger)
                return Report(ops: copied, stations: registry.stations.count, accounts: accounts.count)
            }
        } catch {
            throw DatabaseError.wrapping(error)
        }
    }
}
