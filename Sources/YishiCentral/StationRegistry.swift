/// YishiCentral: the central node at the street office — which stations may sync, the
/// sync endpoints, and the merged view of every station's records.
import Foundation
import GRDB
import YishiStore
import YishiSync

/// The stations enrolled at the central node, and what it remembers of each: its key, its
/// community (the scope it may write and read), whether it is revoked, the last request
/// sequence it used (replay protection) and its pull cursor (for lag).
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
    }

    let queue: DatabaseQueue

    init(_ url: URL) throws {
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
        try migrator.migrate(queue)
    }

    static let columns = "id, community, public_key, revoked, cursor, last_contact, skew"

    static func station(_ row: Row) -> Station {
        Station(id: row[0], community: row[1], publicKey: row[2], revoked: row[3], cursor: UInt64(row[4] as Int64),
                lastContact: row[5], skew: row[6])
    }

    /// Notes an authenticated request: when, and how far the station's clock is off.
    public func record(contact time: Int64, stationTime: Int64, for id: String) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE station SET last_contact = ?, skew = ? WHERE id = ?", arguments: [time, time - stationTime, id])
        }
    }

    public func enroll(id: String, community: String, publicKey: String) throws {
        guard StationKey.isValidPublicKey(publicKey) else {
            throw SyncSetupError("公钥“\(publicKey)”不对：请在站点上运行 yishi key，把它打印的那一行完整复制过来。")
        }
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO station (id, community, public_key) VALUES (?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET community = excluded.community, public_key = excluded.public_key, revoked = 0
                """, arguments: [id, community, publicKey])
        }
    }

    public func revoke(id: String) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE station SET revoked = 1 WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw SyncSetupError("没有登记过站点 \(id)。") }
        }
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
    func claim(sequence: UInt64, for id: String) throws -> Bool {
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
