/// YishiCentral: the central node at the street office — which stations may sync, the
/// sync endpoints, and the merged view of every station's records.
import Foundation
import GRDB
import YishiStore
import YishiMerge
import YishiSync
import YishiTrust

/// The stations enrolled at the central node, and what it remembers of each: its key, its
/// community (the scope it may write and read), whether it is revoked, the last request
/// sequence it used (replay protection), its pull cursor (for lag), the replica id its
/// current box writes under and its former boxes', and every key it no longer uses.
public struct StationRegistry: Sendable {
    public struct Station: Sendable, Equatable {
        public var id: String
        public var community: String
        public var publicKey: String
        public var revoked: Bool
        public var cursor: UInt64
        /// When the station last made an authenticated request, ms since 1970 (0: never).
        public var lastContact: Int64
        /// The central's clock minus the station's at that request, in ms.
        public var skew: Int64
        /// The replica id the station's current box writes under: the station's id, or after
        /// a box was replaced `HL3-01.2`, `HL3-01.3`…
        public var replica: String
        /// When the current key was enrolled, ms since 1970 (0: before this was recorded).
        public var keySince: Int64

        public init(id: String, community: String, publicKey: String, revoked: Bool, cursor: UInt64, lastContact: Int64, skew: Int64,
                    replica: String, keySince: Int64) {
            self.id = id
            self.community = community
            self.publicKey = publicKey
            self.revoked = revoked
            self.cursor = cursor
            self.lastContact = lastContact
            self.skew = skew
            self.replica = replica
            self.keySince = keySince
        }
    }

    /// What `enroll` did, in words for the person who ran it.
    public enum Enrollment: Sendable, Equatable {
        case new
        case unchanged
        /// The station's key was replaced; the old one is refused from now on.
        case keyReplaced
        /// A new box: it writes under `replica`; the old box's key is refused.
        case newBox(replica: String, former: String)
    }

    let queue: DatabaseQueue

    public init(_ url: URL) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        queue = try DatabaseQueue(path: url.path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE station (id TEXT PRIMARY KEY, community TEXT NOT NULL, public_key TEXT NOT NULL,
                    revoked INTEGER NOT NULL DEFAULT 0, last_sequence INTEGER NOT NULL DEFAULT 0,
                    cursor INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-contact") { db in
            try db.execute(sql: """
                ALTER TABLE station ADD COLUMN last_contact INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE station ADD COLUMN skew INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v3-boxes-and-keys") { db in
            try db.execute(sql: """
                ALTER TABLE station ADD COLUMN replica TEXT;
                ALTER TABLE station ADD COLUMN key_since INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE former_replica (station TEXT NOT NULL, replica TEXT NOT NULL, until INTEGER NOT NULL,
                    PRIMARY KEY (station, replica)) WITHOUT ROWID;
                CREATE TABLE retired_key (public_key TEXT PRIMARY KEY, station TEXT NOT NULL, retired INTEGER NOT NULL) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-trust") { db in
            // Which boxes sign their ops (YishiTrust): an origin with no row signs from its
            // first op; `legacy_through` NULL: it signs nothing yet (the previous release),
            // n: it signs, and its ops up to n were written before it did. Every box enrolled
            // before this step was on the previous release. A retired key names its origin,
            // so the directory can say for whom it may still vouch. The serial rises with
            // every change the directory shows.
            try db.execute(sql: """
                CREATE TABLE origin_trust (origin TEXT PRIMARY KEY, legacy_through INTEGER) WITHOUT ROWID;
                INSERT OR IGNORE INTO origin_trust (origin) SELECT COALESCE(replica, id) FROM station;
                INSERT OR IGNORE INTO origin_trust (origin) SELECT replica FROM former_replica;
                ALTER TABLE retired_key ADD COLUMN origin TEXT;
                CREATE TABLE directory_serial (serial INTEGER NOT NULL);
                INSERT INTO directory_serial (serial) VALUES (1);
                """)
        }
        try migrator.migrate(queue)
    }

    static let columns = "id, community, public_key, revoked, cursor, last_contact, skew, COALESCE(replica, id), key_since"

    static func station(_ row: Row) -> Station {
        Station(id: row[0], community: row[1], publicKey: row[2], revoked: row[3], cursor: UInt64(row[4] as Int64),
                lastContact: row[5], skew: row[6], replica: row[7], keySince: row[8])
    }

    /// Notes an authenticated request: when, and how far the station's clock is off.
    public func record(contact time: Int64, stationTime: Int64, for id: String) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE station SET last_contact = ?, skew = ? WHERE id = ?", arguments: [time, time - stationTime, id])
        }
    }

    /// Enrolls a station, or gives an enrolled one a new key. With `newBox`, the station's
    /// box was replaced: the new box writes under a new replica id, so that it never reuses
    /// a dot of the old one (whose unsent edits may yet be recovered from its disk), and
    /// the old box's replica id is kept as a former one, whose ops the new box may hand on.
    /// A key once replaced is never accepted again.
    @discardableResult
    public func enroll(id: String, community: String, publicKey: String, newBox: Bool = false, now: Int64 = Self.now) throws -> Enrollment {
        try EnrollmentRule.check(id: id, community: community, publicKey: publicKey)
        return try queue.write { db in
            let existing = try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM station WHERE id = ?", arguments: [id]).map(Self.station)
            let existingReplica = existing?.replica ?? id
            let plan = try EnrollmentRule.plan(
                id: id, community: community, publicKey: publicKey, newBox: newBox,
                existing: existing,
                retiredBy: try String.fetchOne(db, sql: "SELECT station FROM retired_key WHERE public_key = ?", arguments: [publicKey]),
                taken: {
                    Set(try String.fetchAll(db, sql: """
                        SELECT COALESCE(replica, id) FROM station UNION SELECT id FROM station UNION SELECT replica FROM former_replica
                        """))
                })
            switch plan {
            case .insert:
                try db.execute(sql: "INSERT INTO station (id, community, public_key, key_since) VALUES (?, ?, ?, ?)",
                               arguments: [id, community, publicKey, now])
            case .unchanged:
                try db.execute(sql: "UPDATE station SET revoked = 0 WHERE id = ?", arguments: [id])
            case let .replaceKey(retire), let .newBox(retire, _, _):
                try db.execute(sql: "INSERT OR IGNORE INTO retired_key (public_key, station, retired, origin) VALUES (?, ?, ?, ?)",
                               arguments: [retire, id, now, existingReplica])
                try db.execute(sql: "UPDATE station SET public_key = ?, key_since = ?, revoked = 0 WHERE id = ?", arguments: [publicKey, now, id])
            }
            if case let .newBox(_, replica, former) = plan {
                try db.execute(sql: "INSERT OR IGNORE INTO former_replica (station, replica, until) VALUES (?, ?, ?)",
                               arguments: [id, former, now])
                // The new box numbers its requests from 1 and pulls from the start; the old box's
                // requests are signed by a key that is refused now.
                try db.execute(sql: "UPDATE station SET replica = ?, last_sequence = 0, cursor = 0 WHERE id = ?", arguments: [replica, id])
            }
            if plan != .unchanged || existing?.revoked == true { try Self.raiseSerial(db) }
            return plan.enrollment
        }
    }

    /// The replica ids of the station's former boxes, oldest first.
    public func formerReplicas(of id: String) throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: "SELECT replica FROM former_replica WHERE station = ? ORDER BY until, replica", arguments: [id])
        }
    }

    /// Every station's former boxes, oldest first, by station.
    public func formerReplicasByStation() throws -> [String: [String]] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT station, replica FROM former_replica ORDER BY until, replica")
                .reduce(into: [:]) { found, row in found[row[0] as String, default: []].append(row[1]) }
        }
    }

    /// The keys the station no longer uses: a request signed by one is refused as such.
    public func retiredKeys(of id: String) throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: "SELECT public_key FROM retired_key WHERE station = ?", arguments: [id]) }
    }

    /// Everything the registry holds, as moving the central elsewhere copies it.
    public struct Export: Sendable {
        public var stations: [(station: Station, lastSequence: UInt64)]
        public var formerReplicas: [(station: String, replica: String, until: Int64)]
        public var retiredKeys: [(publicKey: String, station: String, retired: Int64, origin: String?)]
        public var legacy: [String: KeyDirectory.Legacy]
        public var serial: UInt64
    }

    public func export() throws -> Export {
        try queue.read { db in
            Export(
                stations: try Row.fetchAll(db, sql: "SELECT \(Self.columns), last_sequence FROM station ORDER BY id").map {
                    (Self.station($0), UInt64($0[9] as Int64))
                },
                formerReplicas: try Row.fetchAll(db, sql: "SELECT station, replica, until FROM former_replica").map { ($0[0], $0[1], $0[2]) },
                retiredKeys: try Row.fetchAll(db, sql: "SELECT public_key, station, retired, origin FROM retired_key").map { ($0[0], $0[1], $0[2], $0[3]) },
                legacy: try Row.fetchAll(db, sql: "SELECT origin, legacy_through FROM origin_trust").reduce(into: [:]) { found, row in
                    found[row[0] as String] = (row[1] as Int64?).map { .through(UInt64($0)) } ?? .unsigned
                },
                serial: UInt64(try Int64.fetchOne(db, sql: "SELECT serial FROM directory_serial") ?? 1))
        }
    }

    public static var now: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    public func revoke(id: String) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE station SET revoked = 1 WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw EnrollmentRule.notEnrolled(id) }
            try Self.raiseSerial(db)
        }
    }

    static func raiseSerial(_ db: Database) throws {
        try db.execute(sql: "UPDATE directory_serial SET serial = serial + 1")
    }

    /// What the directory of `community` is made of (see `KeyHolders`).
    public func keyHolders(of community: String) throws -> KeyHolders {
        try queue.read { db in
            let serial = UInt64(try Int64.fetchOne(db, sql: "SELECT serial FROM directory_serial") ?? 0)
            var trust: [String: UInt64?] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT origin, legacy_through FROM origin_trust") {
                // updateValue: a subscript given nil would remove the entry of a box that signs nothing yet.
                trust.updateValue((row[1] as Int64?).map { UInt64($0) }, forKey: row[0])
            }
            var holders = KeyHolders(serial: serial, boxes: [])
            for station in try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM station WHERE community = ? ORDER BY id", arguments: [community])
                .map(Self.station) {
                var boxes = [station.replica: [KeyHolders.Key(publicKey: station.publicKey, current: !station.revoked)]]
                for former in try String.fetchAll(db, sql: "SELECT replica FROM former_replica WHERE station = ?", arguments: [station.id]) {
                    boxes[former, default: []] += []
                }
                for row in try Row.fetchAll(db, sql: "SELECT public_key, COALESCE(origin, '') FROM retired_key WHERE station = ?",
                                            arguments: [station.id]) where !(row[1] as String).isEmpty {
                    boxes[row[1] as String, default: []].append(KeyHolders.Key(publicKey: row[0], current: false))
                }
                for (origin, keys) in boxes.sorted(by: { $0.key < $1.key }) {
                    holders.boxes.append(KeyHolders.Box(origin: origin, station: station.id, keys: keys,
                                                        legacy: trust[origin].map { $0.map(KeyDirectory.Legacy.through) ?? .unsigned }))
                }
            }
            return holders
        }
    }

    /// Records that `origin` pushed ops it did not sign (a box on the previous release), unless
    /// it signs already; true when that changed the directory.
    @discardableResult
    public func noteUnsigned(_ origin: String) throws -> Bool {
        try queue.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO origin_trust (origin, legacy_through) VALUES (?, NULL)", arguments: [origin])
            guard db.changesCount == 1 else { return false }
            try Self.raiseSerial(db)
            return true
        }
    }

    /// Records that `origin` signs its ops now, those up to `legacyThrough` written before it
    /// did; once recorded it stands. True when that changed the directory.
    @discardableResult
    public func noteSigning(_ origin: String, legacyThrough: UInt64) throws -> Bool {
        try queue.write { db in
            let existing = try Row.fetchOne(db, sql: "SELECT legacy_through FROM origin_trust WHERE origin = ?", arguments: [origin])
            if let existing, (existing[0] as Int64?) != nil { return false }
            try db.execute(sql: "INSERT OR REPLACE INTO origin_trust (origin, legacy_through) VALUES (?, ?)",
                           arguments: [origin, Int64(clamping: legacyThrough)])
            try Self.raiseSerial(db)
            return true
        }
    }

    public func legacyOrigins() throws -> [String: KeyDirectory.Legacy] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT origin, legacy_through FROM origin_trust").reduce(into: [:]) { found, row in
                found[row[0] as String] = (row[1] as Int64?).map { .through(UInt64($0)) } ?? .unsigned
            }
        }
    }

    public func directorySerial() throws -> UInt64 {
        try queue.read { db in UInt64(try Int64.fetchOne(db, sql: "SELECT serial FROM directory_serial") ?? 0) }
    }

    /// A change the directory shows that the registry does not hold (a new street key).
    public func raiseSerial() throws {
        try queue.write { db in try Self.raiseSerial(db) }
    }

    public func station(_ id: String) throws -> Station? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM station WHERE id = ?", arguments: [id]).map(Self.station)
        }
    }

    public func stations() throws -> [Station] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM station ORDER BY id").map(Self.station)
        }
    }

    /// Takes the sequence if it is higher than any this station used before; false for a
    /// replay (or a request overtaken by a later one).
    public func claim(sequence: UInt64, for id: String) throws -> Bool {
        try queue.write { db in
            try db.execute(sql: "UPDATE station SET last_sequence = ? WHERE id = ? AND last_sequence < ?",
                           arguments: [Int64(sequence), id, Int64(sequence)])
            return db.changesCount == 1
        }
    }

    public func record(cursor: UInt64, for id: String) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE station SET cursor = max(cursor, ?) WHERE id = ?", arguments: [Int64(cursor), id])
        }
    }
}
