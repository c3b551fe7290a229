import Crypto
import Foundation
import GRDB

/// A verified copy of a data directory, taken while the daemon runs and staff keep writing.
///
/// The replica is copied through SQLite's online backup inside one read transaction, and
/// in that same snapshot the copy's digest and its journal length are read; the journal is
/// then copied up to exactly that length (it is append-only, and the database never
/// records bytes the journal does not yet hold, so those bytes are final). The other files
/// (the station's key, its rules, the staff accounts, the central's station registry and
/// certificates) are copied beside it, SQLite files again through the online backup.
/// `backup.json` lists every file with its SHA-256. Nothing is called a backup until it has
/// been opened as a replica, its journal verified line by line and its digest found equal.
public enum Backup {
    public static let manifestName = "backup.json"

    public struct Manifest: Codable, Sendable, Equatable {
        public struct File: Codable, Sendable, Equatable {
            public var path: String
            public var bytes: Int64
            public var sha256: String
        }

        public var yishi = "backup"
        public var version = 1
        /// When the snapshot was taken, ISO 8601 UTC.
        public var made: String
        public var replica: String
        public var community: String
        /// The station this replica serves (the central: `central`).
        public var station: String
        public var journalBytes: UInt64
        public var ops: Int
        public var digest: String
        public var files: [File]
    }

    /// Files of a data directory that are the replica itself or only exist while it is open
    /// or being rebuilt: never copied as companions.
    static func isReplicaFile(_ name: String) -> Bool {
        name == "journal.jsonl" || name == "lock" || name == manifestName || name.hasPrefix("replica.sqlite")
            || name.hasSuffix("-wal") || name.hasSuffix("-shm") || name.hasSuffix(".partial") || name.hasSuffix(".restoring")
    }

    /// Makes the backup in `destination` (which must not exist yet) and returns its manifest.
    /// The copy is assembled beside it as `….partial` and renamed only once verified.
    @discardableResult
    public static func make(of replica: Replica, into destination: URL, now: Date = Date(), progress: ProgressReport? = nil) throws -> Manifest {
        let files = FileManager.default
        guard !files.fileExists(atPath: destination.path) else {
            throw StoreError(.backup("备份目录 \(destination.path) 已经存在，没有改动它。请换一个名字，或先把旧的移走。"))
        }
        let partial = URL(fileURLWithPath: destination.path + ".partial")
        try? files.removeItem(at: partial)
        do {
            try files.createDirectory(at: partial, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.io(path: partial.path, problem: FileProblem.describe(error)))
        }
        do {
            var manifest = try snapshot(replica, into: partial, now: now, progress: progress)
            try copyJournal(replica.journal, bytes: manifest.journalBytes, to: partial.appendingPathComponent("journal.jsonl"), progress: progress)
            try copyCompanions(from: replica.directory.url, to: partial)
            manifest.files = try fileList(partial, progress: progress)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(manifest).write(to: partial.appendingPathComponent(manifestName))
            try check(copyAt: partial, against: manifest, progress: progress)
            try files.moveItem(at: partial, to: destination)
            return manifest
        } catch {
            try? files.removeItem(at: partial)
            if let error = error as? StoreError { throw error }
            throw StoreError(.io(path: destination.path, problem: FileProblem.describe(error)))
        }
    }

    /// Reads a backup's manifest and checks every file against it, without writing into the
    /// backup (it may be on read-only media).
    public static func manifest(of backup: URL, progress: ProgressReport? = nil) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: backup.appendingPathComponent(manifestName).path),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data), manifest.yishi == "backup"
        else {
            throw StoreError(.backup("\(backup.path) 不是 Yishi 备份（找不到或读不懂 \(manifestName)）。请指向 yishi backup 生成的那个目录。"))
        }
        guard manifest.version == 1 else {
            throw StoreError(.backup("备份 \(backup.path) 的格式版本是 \(manifest.version)，本程序只认识版本 1；请用新版 yishi 恢复。"))
        }
        let total = manifest.files.reduce(0) { $0 + $1.bytes }
        var checked: Int64 = 0
        for file in manifest.files {
            let url = backup.appendingPathComponent(file.path)
            let hash: String?
            do {
                hash = try sha256(of: url) { chunk in
                    checked += chunk
                    try progress?(WorkProgress("核对备份文件", done: checked, total: total, unit: .bytes))
                }
            } catch let error as StoreError {
                throw error
            } catch {
                hash = nil
            }
            guard let hash, hash == file.sha256 else {
                throw StoreError(.backup("备份中的文件 \(file.path) 缺失或内容与备份时不同（可能拷贝不完整或介质损坏）。这个备份不能用，请换一个备份。"))
            }
        }
        try progress?(WorkProgress("核对备份文件", done: total, total: total, unit: .bytes))
        return manifest
    }

    /// One folder of a folder of backups (`yishi backup --to` makes one per run): its
    /// manifest once every file has been checked against it, or why it cannot be used.
    public struct Found: Sendable {
        public var url: URL
        public var manifest: Manifest?
        public var problem: String?
    }

    /// The backups inside `folder`, newest first, each checked file by file as a restore
    /// would check it; nil when `folder` is itself a backup. Folders without a manifest
    /// (anything else on the stick, a backup still being made) are not listed.
    public static func backups(in folder: URL, progress: ProgressReport? = nil) throws -> [Found]? {
        let files = FileManager.default
        guard !files.fileExists(atPath: folder.appendingPathComponent(manifestName).path) else { return nil }
        guard let names = try? files.contentsOfDirectory(atPath: folder.path) else {
            throw StoreError(.backup("找不到目录 \(folder.path)。请指向 yishi backup 生成的备份目录，或放备份的目录。"))
        }
        return try names.filter { !$0.hasSuffix(".partial") }.sorted().reversed().compactMap { name in
            let url = folder.appendingPathComponent(name)
            guard files.fileExists(atPath: url.appendingPathComponent(manifestName).path) else { return nil }
            do {
                return Found(url: url, manifest: try manifest(of: url) { step in try progress?(step.named("核对备份 \(name)")) })
            } catch let error as StoreError where error.isStopped {
                throw error
            } catch let error as StoreError {
                return Found(url: url, problem: error.description)
            } catch {
                return Found(url: url, problem: FileProblem.describe(error))
            }
        }
    }

    /// Puts a backup back into a new data directory `target` (absent or empty). The copy is
    /// made beside it, verified as the backup was, and only then takes the target's name.
    /// A station's restored replica is marked so that it takes back, on its next sync, its
    /// own edits the central holds beyond the backup before it makes new ones
    /// (`Replica.isRestored`); the central's keeps its arrival log as it was.
    @discardableResult
    public static func restore(from backup: URL, into target: DataDirectory, progress: ProgressReport? = nil) throws -> Manifest {
        let files = FileManager.default
        let manifest = try manifest(of: backup, progress: progress)
        if let entries = try? files.contentsOfDirectory(atPath: target.url.path), !entries.isEmpty {
            throw StoreError(.backup("目标目录 \(target.url.path) 不是空的，没有改动它。请恢复到一个新的或空的目录。"))
        }
        let staging = URL(fileURLWithPath: target.url.path + ".restoring")
        try? files.removeItem(at: staging)
        do {
            try files.createDirectory(at: staging, withIntermediateDirectories: true)
            let total = manifest.files.reduce(0) { $0 + $1.bytes }
            var copied: Int64 = 0
            for file in manifest.files {
                let to = staging.appendingPathComponent(file.path)
                try files.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try copy(backup.appendingPathComponent(file.path), to: to) { chunk in
                    copied += chunk
                    try progress?(WorkProgress("复制文件", done: copied, total: total, unit: .bytes))
                }
            }
            try progress?(WorkProgress("复制文件", done: total, total: total, unit: .bytes))
            try check(copyAt: staging, against: manifest, progress: progress)
            if manifest.station != "central" {
                let restored = try Replica.open(DataDirectory(staging))
                try restored.markRestored(from: manifest.made)
                try restored.close()
            }
            try? files.removeItem(at: staging.appendingPathComponent("lock"))
            try? files.removeItem(at: target.url)
            try files.createDirectory(at: target.url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try files.moveItem(at: staging, to: target.url)
            return manifest
        } catch {
            try? files.removeItem(at: staging)
            if let error = error as? StoreError { throw error }
            throw StoreError(.io(path: target.url.path, problem: FileProblem.describe(error)))
        }
    }

    /// The database copy, its digest, journal length and op count, all from one snapshot.
    private static func snapshot(_ replica: Replica, into folder: URL, now: Date, progress: ProgressReport?) throws -> Manifest {
        let copy = try DatabaseQueue(path: folder.appendingPathComponent("replica.sqlite").path)
        defer { try? copy.close() }
        return try replica.pool.read { db in
            // In steps of 4 MB (1,024 pages), each telling how far the copy has got. GRDB
            // ignores an error thrown at the last step, so a stop asked there is kept and
            // raised once the copy returns.
            var stopped: Error?
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4_096
            try copy.writeWithoutTransaction { target in
                try db.backup(to: target, pagesPerStep: 1_024) { step in
                    do {
                        try progress?(WorkProgress("复制数据库", done: Int64(step.completedPageCount) * pageSize,
                                                   total: Int64(step.totalPageCount) * pageSize, unit: .bytes))
                    } catch {
                        stopped = error
                        throw error
                    }
                }
            }
            if let stopped { throw stopped }
            return Manifest(
                made: ISO8601DateFormatter().string(from: now), replica: replica.replica.rawValue, community: replica.community,
                station: replica.station, journalBytes: try Replica.metaNumber(db, "journal_offset"),
                ops: try Int.fetchOne(db, sql: "SELECT count(*) FROM op") ?? 0, digest: try Replica.digest(db), files: [])
        }
    }

    /// Copies the first `bytes` of the journal in chunks (a central's journal is gigabytes)
    /// and syncs the copy.
    private static func copyJournal(_ journal: Journal, bytes: UInt64, to url: URL, progress: ProgressReport?) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw StoreError(.io(path: url.path, problem: "无法建立文件"))
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let chunk: UInt64 = 8 << 20
        var offset: UInt64 = 0
        while offset < bytes {
            try progress?(WorkProgress("复制日志", done: Int64(offset), total: Int64(bytes), unit: .bytes))
            let length = Int(min(chunk, bytes - offset))
            let read = try journal.read(from: offset, length: length)
            guard read.count == length else { throw StoreError(.journalShorter(recorded: bytes, actual: offset + UInt64(read.count))) }
            try handle.write(contentsOf: read)
            offset += UInt64(length)
        }
        try handle.synchronize()
        try progress?(WorkProgress("复制日志", done: Int64(bytes), total: Int64(bytes), unit: .bytes))
    }

    /// Everything else in the data directory: SQLite files through the online backup (the
    /// desk may be writing a session), directories recursively, other files as they are,
    /// keeping their permissions (a key stays readable by its owner only).
    private static func copyCompanions(from source: URL, to target: URL) throws {
        let files = FileManager.default
        for name in try files.contentsOfDirectory(atPath: source.path).sorted() where !isReplicaFile(name) {
            let from = source.appendingPathComponent(name), to = target.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: from.path, isDirectory: &isDirectory) else { continue }
            if name.hasSuffix(".sqlite") && !isDirectory.boolValue {
                let reader = try DatabaseQueue(path: from.path, configuration: readOnly())
                let writer = try DatabaseQueue(path: to.path)
                try reader.backup(to: writer)
                try reader.close()
                try writer.close()
                let permissions = try files.attributesOfItem(atPath: from.path)[.posixPermissions]
                if let permissions { try files.setAttributes([.posixPermissions: permissions], ofItemAtPath: to.path) }
            } else {
                try files.copyItem(at: from, to: to)
            }
        }
    }

    private static func readOnly() -> Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        return configuration
    }

    /// Every regular file under `folder`, relative paths sorted, with its size and hash.
    private static func fileList(_ folder: URL, progress: ProgressReport?) throws -> [Manifest.File] {
        let files = FileManager.default
        var found: [(path: String, bytes: Int64)] = []
        let root = folder.standardizedFileURL.path
        guard let walker = files.enumerator(atPath: root) else { return [] }
        while let relative = walker.nextObject() as? String {
            let url = URL(fileURLWithPath: root).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  relative != manifestName, relative != "lock"
            else { continue }
            found.append((relative, (try files.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0))
        }
        // Hashing a central's gigabytes takes a while: it reports by the byte.
        let total = found.reduce(0) { $0 + $1.bytes }
        var hashed: Int64 = 0
        var list: [Manifest.File] = []
        for file in found {
            let hash = try sha256(of: URL(fileURLWithPath: root).appendingPathComponent(file.path)) { chunk in
                hashed += chunk
                try progress?(WorkProgress("计算校验值", done: hashed, total: total, unit: .bytes))
            }
            list.append(Manifest.File(path: file.path, bytes: file.bytes, sha256: hash))
        }
        return list.sorted { $0.path < $1.path }
    }

    /// Opens the copy as a replica: the journal must verify line by line against it, and its
    /// digest must be the one the snapshot had.
    private static func check(copyAt folder: URL, against manifest: Manifest, progress: ProgressReport?) throws {
        let copy = try Replica.open(DataDirectory(folder))
        defer { try? copy.close() }
        let report = try copy.verifyJournal(progress: progress)
        guard report.problems.isEmpty else {
            throw StoreError(.backup("备份校验失败：\(report.problems.prefix(3).joined(separator: "；"))。没有留下这个备份；请运行 yishi journal verify 检查原数据目录。"))
        }
        let digest = try copy.digest(progress: progress)
        guard digest == manifest.digest else {
            throw StoreError(.backup("备份校验失败：副本摘要 \(digest) 与备份时的 \(manifest.digest) 不同。没有留下这个备份；请重试，若仍失败请运行 yishi journal verify。"))
        }
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("lock"))
    }

    /// Copies a file in 8 MB chunks (a journal is gigabytes), telling `wrote` each chunk's
    /// length, and syncs the copy. Its permissions are the original's: the station's key
    /// stays readable by its owner alone.
    private static func copy(_ source: URL, to target: URL, wrote: (Int64) throws -> Void) throws {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        let mode = try FileManager.default.attributesOfItem(atPath: source.path)[.posixPermissions] as? NSNumber ?? 0o600
        guard FileManager.default.createFile(atPath: target.path, contents: nil, attributes: [.posixPermissions: mode]) else {
            throw StoreError(.io(path: target.path, problem: "无法建立文件"))
        }
        let output = try FileHandle(forWritingTo: target)
        defer { try? output.close() }
        while let chunk = try input.read(upToCount: 8 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
            try wrote(Int64(chunk.count))
        }
        try output.synchronize()
    }

    static func sha256(of url: URL, read: (Int64) throws -> Void = { _ in }) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            try read(Int64(chunk.count))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
