import Logging
import PostgresNIO
import YishiCentral
import YishiSync
import YishiTrust

/// The stations enrolled at the central, in the database every central process shares:
/// what `StationRegistry` keeps in stations.sqlite beside a single central, with the
/// same rule (EnrollmentRule) and the same answers.
public struct PostgresStationRegistry: StationDirectory {
    let client: PostgresClient
    let logger: Logger

    /// Enrolments are serialised by this advisory lock: they are rare, and a new box's
    /// replica id is chosen from every id taken, which two enrolments at once could both pick.
    static let enrollLock: Int64 = 0x7969_7368_6900_0002

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = "id, community, public_key, revoked, cursor, last_contact, skew, replica, key_since"
    typealias StationRow = (String, String, String, Bool, Int64, Int64, Int64, String, Int64)

    static func station(_ row: StationRow) -> StationRegistry.Station {
        StationRegistry.Station(id: row.0, community: row.1, publicKey: row.2, revoked: row.3, cursor: UInt64(max(0, row.4)),
                                lastContact: row.5, skew: row.6, replica: row.7, keySince: row.8)
    }

    public func enroll(id: String, community: String, publicKey: String, newBox: Bool = false, now: Int64 = StationRegistry.now)
        async throws -> StationRegistry.Enrollment
    {
        try EnrollmentRule.check(id: id, community: community, publicKey: publicKey)
        return try await database {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.enrollLock))", logger: logger)
                var existing: StationRegistry.Station?
                for try await row in try await connection.query("SELECT \(unescaped: Self.columns) FROM station WHERE id = \(id)",
                                                                  logger: logger).decode(StationRow.self) {
                    existing = Self.station(row)
                }
                var retiredBy: String?
                for try await station in try await connection.query("SELECT station FROM retired_key WHERE public_key = \(publicKey)",
                                                                     logger: logger).decode(String.self) {
                    retiredBy = station
                }
                var taken: Set<String> = []
                if newBox {
                    for try await replica in try await connection.query(
                        "SELECT replica FROM station UNION SELECT id FROM station UNION SELECT replica FROM former_replica", logger: logger)
                        .decode(String.self) { taken.insert(replica) }
                }
                let plan = try EnrollmentRule.plan(id: id, community: community, publicKey: publicKey, newBox: newBox,
                                                   existing: existing, retiredBy: retiredBy, taken: { taken })
                switch plan {
                case .insert:
                    try await connection.query("""
                        INSERT INTO station (id, community, public_key, replica, key_since) VALUES (\(id), \(community), \(publicKey), \(id), \(now))
                        """, logger: logger)
                case .unchanged:
                    try await connection.query("UPDATE station SET revoked = false WHERE id = \(id)", logger: logger)
                case let .replaceKey(retire), let .newBox(retire, _, _):
                    let origin = existing?.replica ?? id
                    try await connection.query("""
                        INSERT INTO retired_key (public_key, station, retired, origin) VALUES (\(retire), \(id), \(now), \(origin))
                        ON CONFLICT DO NOTHING
                        """, logger: logger)
                    try await connection.query("UPDATE station SET public_key = \(publicKey), key_since = \(now), revoked = false WHERE id = \(id)",
                                               logger: logger)
                }
                if case let .newBox(_, replica, former) = plan {
                    try await connection.query("""
                        INSERT INTO former_replica (station, replica, until) VALUES (\(id), \(former), \(now)) ON CONFLICT DO NOTHING
                        """, logger: logger)
                    // As in StationRegistry: the new box numbers its requests from 1 and pulls from the start.
                    try await connection.query("UPDATE station SET replica = \(replica), last_sequence = 0, cursor = 0 WHERE id = \(id)",
                                               logger: logger)
                }
                if plan != .unchanged || existing?.revoked == true {
                    try await connection.query("UPDATE directory_serial SET serial = serial + 1", logger: logger)
                }
                return plan.enrollment
            }
        }
    }

    public func revoke(id: String) async throws {
        let changed = try await database {
            try await client.withTransaction(logger: logger) { connection in
                let changed = try await count(connection.query("UPDATE station SET revoked = true WHERE id = \(id) RETURNING id", logger: logger))
                if changed == 1 { try await connection.query("UPDATE directory_serial SET serial = serial + 1", logger: logger) }
                return changed
            }
        }
        guard changed == 1 else { throw EnrollmentRule.notEnrolled(id) }
    }

    public func keyHolders(of community: String) async throws -> KeyHolders {
        let serial = try await directorySerial()
        return try await database {
            var trust: [String: Int64?] = [:]
            for try await (origin, legacy) in try await client.query("""
                SELECT t.origin, t.legacy_through FROM origin_trust t
                WHERE t.origin IN (SELECT replica FROM station WHERE community = \(community)
                                   UNION SELECT f.replica FROM former_replica f JOIN station s ON s.id = f.station WHERE s.community = \(community))
                """, logger: logger).decode((String, Int64?).self) {
                // updateValue: a subscript given nil would remove the entry of a box that signs nothing yet.
                trust.updateValue(legacy, forKey: origin)
            }
            var boxes: [String: (station: String, keys: [KeyHolders.Key])] = [:]
            for try await (id, publicKey, revoked, replica) in try await client.query("""
                SELECT id, public_key, revoked, replica FROM station WHERE community = \(community)
                """, logger: logger).decode((String, String, Bool, String).self) {
                boxes[replica, default: (id, [])].keys.append(KeyHolders.Key(publicKey: publicKey, current: !revoked))
            }
            for try await (station, replica) in try await client.query("""
                SELECT f.station, f.replica FROM former_replica f JOIN station s ON s.id = f.station WHERE s.community = \(community)
                """, logger: logger).decode((String, String).self) {
                boxes[replica, default: (station, [])].station = station
            }
            for try await (station, publicKey, origin) in try await client.query("""
                SELECT r.station, r.public_key, r.origin FROM retired_key r JOIN station s ON s.id = r.station
                WHERE s.community = \(community) AND r.origin IS NOT NULL
                """, logger: logger).decode((String, String, String).self) {
                boxes[origin, default: (station, [])].keys.append(KeyHolders.Key(publicKey: publicKey, current: false))
            }
            var holders = KeyHolders(serial: serial, boxes: [])
            for (origin, box) in boxes.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                holders.boxes.append(KeyHolders.Box(origin: origin, station: box.station, keys: box.keys,
                                                    legacy: trust[origin].map { $0.map { .through(UInt64(max(0, $0))) } ?? .unsigned }))
            }
            return holders
        }
    }

    public func directorySerial() async throws -> UInt64 {
        try await database {
            for try await serial in try await client.query("SELECT serial FROM directory_serial", logger: logger).decode(Int64.self) {
                return UInt64(max(0, serial))
            }
            return 0
        }
    }

    @discardableResult
    public func noteUnsigned(_ origin: String) async throws -> Bool {
        try await database {
            try await client.withTransaction(logger: logger) { connection in
                let inserted = try await count(connection.query("""
                    INSERT INTO origin_trust (origin, legacy_through) VALUES (\(origin), NULL) ON CONFLICT DO NOTHING RETURNING origin
                    """, logger: logger))
                if inserted == 1 { try await connection.query("UPDATE directory_serial SET serial = serial + 1", logger: logger) }
                return inserted == 1
            }
        }
    }

    @discardableResult
    public func noteSigning(_ origin: String, legacyThrough: UInt64) async throws -> Bool {
        let through = Int64(clamping: legacyThrough)
        return try await database {
            try await client.withTransaction(logger: logger) { connection in
                let changed = try await count(connection.query("""
                    INSERT INTO origin_trust (origin, legacy_through) VALUES (\(origin), \(through))
                    ON CONFLICT (origin) DO UPDATE SET legacy_through = excluded.legacy_through WHERE origin_trust.legacy_through IS NULL
                    RETURNING origin
                    """, logger: logger))
                if changed == 1 { try await connection.query("UPDATE directory_serial SET serial = serial + 1", logger: logger) }
                return changed == 1
            }
        }
    }

    public func legacyOrigins() async throws -> [String: KeyDirectory.Legacy] {
        try await database {
            var found: [String: KeyDirectory.Legacy] = [:]
            for try await (origin, legacy) in try await client.query("SELECT origin, legacy_through FROM origin_trust", logger: logger)
                .decode((String, Int64?).self) { found[origin] = legacy.map { .through(UInt64(max(0, $0))) } ?? .unsigned }
            return found
        }
    }

    public func raiseSerial() async throws {
        try await database { try await client.query("UPDATE directory_serial SET serial = serial + 1", logger: logger) }
    }

    public func station(_ id: String) async throws -> StationRegistry.Station? {
        try await database {
            for try await row in try await client.query("SELECT \(unescaped: Self.columns) FROM station WHERE id = \(id)", logger: logger)
                .decode(StationRow.self) { return Self.station(row) }
            return nil
        }
    }

    public func stations() async throws -> [StationRegistry.Station] {
        try await database {
            var stations: [StationRegistry.Station] = []
            for try await row in try await client.query("SELECT \(unescaped: Self.columns) FROM station ORDER BY id COLLATE \"C\"",
                                                        logger: logger).decode(StationRow.self) { stations.append(Self.station(row)) }
            return stations
        }
    }

    public func formerReplicas(of id: String) async throws -> [String] {
        try await strings("SELECT replica FROM former_replica WHERE station = \(id) ORDER BY until, replica COLLATE \"C\"")
    }

    /// Every station's former boxes, oldest first, by station.
    public func formerReplicasByStation() async throws -> [String: [String]] {
        try await database {
            var found: [String: [String]] = [:]
            for try await (station, replica) in try await client.query(
                "SELECT station, replica FROM former_replica ORDER BY until, replica COLLATE \"C\"", logger: logger
            ).decode((String, String).self) { found[station, default: []].append(replica) }
            return found
        }
    }

    public func retiredKeys(of id: String) async throws -> [String] {
        try await strings("SELECT public_key FROM retired_key WHERE station = \(id)")
    }

    public func claim(sequence: UInt64, for id: String) async throws -> Bool {
        let value = Int64(clamping: sequence)
        return try await database {
            try await count(client.query("""
                UPDATE station SET last_sequence = \(value) WHERE id = \(id) AND last_sequence < \(value) RETURNING id
                """, logger: logger)) == 1
        }
    }

    public func record(contact time: Int64, stationTime: Int64, for id: String) async throws {
        try await database {
            try await client.query("UPDATE station SET last_contact = \(time), skew = \(time - stationTime) WHERE id = \(id)", logger: logger)
        }
    }

    public func record(cursor: UInt64, for id: String) async throws {
        let value = Int64(clamping: cursor)
        try await database {
            try await client.query("UPDATE station SET cursor = greatest(cursor, \(value)) WHERE id = \(id)", logger: logger)
        }
    }

    private func strings(_ query: PostgresQuery) async throws -> [String] {
        try await database {
            var values: [String] = []
            for try await value in try await client.query(query, logger: logger).decode(String.self) { values.append(value) }
            return values
        }
    }

    private func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}
