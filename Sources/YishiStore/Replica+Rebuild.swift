import Foundation
import GRDB
import YishiMerge

extension Replica {
    /// Rebuilds the replica from the journal alone, into a new file that replaces the old
    /// one only when complete. The old database is kept as `replica.sqlite.before-rebuild`.
    /// Returns the digests before (when the old database could be read) and after.
    public static func rebuild(
        _ directory: DataDirectory, progress: ProgressReport? = nil
    ) throws -> (before: String?, after: String) {
        let files = FileManager.default
        guard files.fileExists(atPath: directory.journal.path) else {
            throw StoreError(.notADataDirectory(path: directory.url.path, missing: directory.journal.lastPathComponent))
        }
        let lock = try FileLock(directory.lockFile, exclusive: true)
        defer { withExtendedLifetime(lock) {} }

        let journal = Journal(url: directory.journal)
        let bytes = try journal.read(from: 0)
        let (lines, tornBytes) = Journal.lines(bytes, startingAt: 0, firstNumber: 1)
        guard let first = lines.first, let header = Journal.parseHeader(first.bytes) else {
            throw StoreError(.journalHeader(path: directory.journal.path))
        }
        try progress?(WorkProgress("读取日志", done: 0, total: Int64(lines.count - 1)))
        let entries = try JournalEntry.decode(lines.dropFirst())
        try progress?(WorkProgress("读取日志", done: Int64(lines.count - 1), total: Int64(lines.count - 1)))

        var before: String?
        if files.fileExists(atPath: directory.database.path),
           let old = try? Replica(directory: directory, pool: openPool(directory.database), lock: lock) {
            defer { try? old.pool.close() }
            do {
                before = try old.digest(progress: progress.map { report in { try report($0.named("计算原副本摘要")) } })
            } catch let error as StoreError where error.isStopped {
                throw error
            } catch {
                before = nil
            }
        }

        let fresh = directory.url.appendingPathComponent("replica.sqlite.rebuilding")
        for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: fresh.path + suffix) }
        let pool = try openPool(fresh)
        let after: String
        do {
            try pool.write { db in
                try writeMeta(db, header, journalOffset: UInt64(bytes.count - tornBytes), lines: lines.count)
                var meta = try WriteMeta.read(db)
                var applier = try OpApplier(db: db, meta: meta)
                for (index, entry) in entries.enumerated() {
                    try entry.replay(into: &applier)
                    if index % 1000 == 999 { try progress?(WorkProgress("重建副本", done: Int64(index + 1), total: Int64(entries.count))) }
                }
                try applier.finish()
                meta.lamport = applier.lamport
                try meta.save(db)
                try TrustFile.restore(db, from: directory)
            }
            try progress?(WorkProgress("重建副本", done: Int64(entries.count), total: Int64(entries.count)))
            after = try Replica(directory: directory, pool: pool, lock: lock).digest(progress: progress.map { report in
                { try report($0.named("计算新副本摘要")) }
            })
            try pool.close()
        } catch {
            // Failed or stopped: the half-built copy goes, the database in use was never touched.
            try? pool.close()
            for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: fresh.path + suffix) }
            if let error = error as? MergeError { throw StoreError(.merge(error, line: nil)) }
            throw error
        }

        let kept = directory.url.appendingPathComponent("replica.sqlite.before-rebuild")
        for suffix in ["", "-wal", "-shm"] {
            try? files.removeItem(atPath: kept.path + suffix)
            if files.fileExists(atPath: directory.database.path + suffix) {
                try files.moveItem(atPath: directory.database.path + suffix, toPath: kept.path + suffix)
            }
        }
        // A closed WAL database may still have its -wal beside it: it moves with the file.
        for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: fresh.path + suffix) {
            try files.moveItem(atPath: fresh.path + suffix, toPath: directory.database.path + suffix)
        }
        return (before, after)
    }
}
