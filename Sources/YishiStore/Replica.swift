/// YishiStore: the replica on disk — a SQLite database of merged state beside the
/// append-only journal it can always be rebuilt from — with local edits, remote batches,
/// bundles and queries, safe for several processes sharing one data directory.
import Foundation
import GRDB
import YishiMerge

public final class Replica: Sendable {
    public let directory: DataDirectory
    public let replica: ReplicaID
    /// The community this station serves: the scope of its local edits.
    public let community: String
    /// The station this replica serves, which names its reference numbers
    /// (`HL3-01-2026-0017`). The same as the replica id, except on a box that replaced
    /// another: it writes under a new replica id (`HL3-01.2`), never the old box's dots,
    /// while its numbers continue the station's.
    public let station: String
    let pool: DatabasePool
    let journal: Journal
    private let lock: FileLock

    init(directory: DataDirectory, pool: DatabasePool, lock: FileLock) throws {
        self.directory = directory
        self.pool = pool
        self.lock = lock
        journal = Journal(url: directory.journal)
        let meta = try pool.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM meta").map {
                ($0[0] as String, $0[1] as String)
            })
        }
        guard let replica = meta["replica"].flatMap(ReplicaID.init(rawValue:)), let community = meta["community"] else {
            throw StoreError(.notADataDirectory(path: directory.url.path, missing: "副本的站点信息"))
        }
        self.replica = replica
        self.community = community
        station = meta["station"] ?? replica.rawValue
    }

    static func openPool(_ url: URL, mappedMegabytes: Int = 0) throws -> DatabasePool {
        var configuration = Configuration()
        // Several processes (staff commands, the daemon) share the file: wait for the
        // write lock rather than fail.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // The journal is fsynced before every commit and replayed after a crash, so
            // SQLite itself need not fsync each commit (WAL stays consistent regardless).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The central reads a district's gigabytes: mapped, pages are read in place
            // rather than copied into each connection's small cache. A station, whose box
            // is small and whose replica is too, keeps SQLite's default.
            if mappedMegabytes > 0 { try db.execute(sql: "PRAGMA mmap_size = \(mappedMegabytes << 20)") }
        }
        let pool = try DatabasePool(path: url.path, configuration: configuration)
        try Migrations.migrator.migrate(pool)
        return pool
    }

    /// Makes a new data directory for a station (or the central node).
    public static func create(at directory: DataDirectory, replica: String, community: String, station: String? = nil) throws -> Replica {
        guard let id = ReplicaID(rawValue: replica) else {
            throw StoreError(.invalidIdentifier(what: "站点编号", value: replica))
        }
        if let station, !ReplicaID.isValid(station) {
            throw StoreError(.invalidIdentifier(what: "站点编号", value: station))
        }
        guard ReplicaID.isValid(community) else {
            throw StoreError(.invalidIdentifier(what: "社区编号", value: community))
        }
        let files = FileManager.default
        if files.fileExists(atPath: directory.journal.path) || files.fileExists(atPath: directory.database.path) {
            throw StoreError(.alreadyInitialized(path: directory.url.path))
        }
        do {
            try files.createDirectory(at: directory.url, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.io(path: directory.url.path, problem: FileProblem.describe(error)))
        }
        let header = Journal.Header(replica: id, community: community, station: station == replica ? nil : station)
        try Journal(url: directory.journal).create(header)
        let pool = try openPool(directory.database)
        try pool.write { db in
            try Self.writeMeta(db, header, journalOffset: UInt64(Journal.headerLine(header).utf8.count), lines: 1)
        }
        try pool.close()
        return try open(directory)
    }

    static func writeMeta(_ db: Database, _ header: Journal.Header, journalOffset: UInt64, lines: Int) throws {
        if let station = header.station { try setMeta(db, "station", station) }
        for (key, value) in [
            ("replica", header.replica.rawValue), ("community", header.community), ("lamport", "0"),
            ("journal_offset", String(journalOffset)), ("journal_lines", String(lines)),
            ("schema", String(Op.currentSchema)),
        ] {
            try setMeta(db, key, value)
        }
    }

    /// Opens an existing data directory, first finishing any write a crash cut off;
    /// `mappedMegabytes` of the file are memory-mapped (see `openPool`).
    public static func open(_ directory: DataDirectory, mappedMegabytes: Int = 0) throws -> Replica {
        try directory.validate()
        let lock = try FileLock(directory.lockFile, exclusive: false)
        let replica = try Replica(directory: directory, pool: openPool(directory.database, mappedMegabytes: mappedMegabytes), lock: lock)
        try replica.recoverIfNeeded()
        return replica
    }

    /// Closes the database now rather than when the last reference goes (a backup's copy
    /// is checked, then moved).
    public func close() throws { try pool.close() }

    private func recoverIfNeeded() throws {
        let recorded = try pool.read { db in try Self.metaNumber(db, "journal_offset") }
        if try journal.size() != recorded {
            try write { _ in }
        }
    }

    // One entry at a time, for sync's numbers and notes and for opening; a write
    // transaction reads and writes its own entries together (`WriteMeta`).
    static func metaNumber(_ db: Database, _ key: String) throws -> UInt64 {
        let value = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [key])
        return UInt64(value ?? "0") ?? 0
    }

    static func setMeta(_ db: Database, _ key: String, _ value: String) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").execute(arguments: [key, value])
    }
}
