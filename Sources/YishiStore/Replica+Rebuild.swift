import Foundation
import GRDB
import YishiMerge

/// What a journal check found.
public struct JournalReport: Sendable {
    public var lines = 0
    public var ops = 0
    public var held = 0
    /// Bytes of a torn last line a crash left (cut on the next write).
    public var tornBytes = 0
    /// Each problem, in words; empty when journal and replica agree.
    public var problems: [String] = []
}

extension Replica {
    /// Reads the whole journal and checks it against the replica: every line is a valid
    /// op, every op in the replica has its line at the recorded place with the same
    /// content, and nothing is in one but not the other.
    public func verifyJournal() throws -> JournalReport {
        var report = JournalReport()
        let bytes = try journal.read(from: 0)
        let (lines, torn) = Journal.lines(bytes, startingAt: 0, firstNumber: 1)
        report.tornBytes = torn
        report.lines = lines.count
        guard let first = lines.first, let header = Journal.parseHeader(first.bytes) else {
            report.problems.append("第 1 行不是日志开头")
            return report
        }
        if header.replica != replica {
            report.problems.append("日志属于站点 \(header.replica)，副本属于站点 \(replica)")
        }
        struct Stored { var hash: Data; var length: Int; var applied: Bool }
        var stored: [UInt64: Stored] = [:]
        try pool.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT journal_offset, hash, journal_length, applied FROM op") {
                stored[UInt64(row[0] as Int64)] = Stored(hash: row[1], length: row[2], applied: row[3])
            }
        }
        let recorded = try pool.read { db in try Self.metaNumber(db, "journal_offset") }
        for line in lines.dropFirst() {
            let op: Op
            do {
                op = try OpCodec.decode(line.bytes)
            } catch {
                report.problems.append("第 \(line.number) 行：\(error.description)")
                continue
            }
            report.ops += 1
            guard let entry = stored.removeValue(forKey: line.offset) else {
                if line.offset < recorded { report.problems.append("第 \(line.number) 行的修改 \(op.dot) 不在副本中") }
                continue
            }
            if !entry.applied { report.held += 1 }
            let canonical = OpCodec.encodedBytes(op)
            if entry.hash != Data(SHA256Hex.hash(canonical)) || entry.length != line.bytes.count {
                report.problems.append("第 \(line.number) 行的修改 \(op.dot) 与副本记录的内容不同（日志可能被改动过）")
            }
        }
        for offset in stored.keys.sorted() {
            report.problems.append("副本中有一条修改在日志字节位置 \(offset) 处找不到")
        }
        return report
    }

    /// Rebuilds the replica from the journal alone, into a new file that replaces the old
    /// one only when complete. The old database is kept as `replica.sqlite.before-rebuild`.
    /// Returns the digests before (when the old database could be read) and after.
    public static func rebuild(
        _ directory: DataDirectory, progress: ((Int, Int) -> Void)? = nil
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
        var ops: [(Op, Journal.Line)] = []
        for line in lines.dropFirst() {
            do {
                ops.append((try OpCodec.decode(line.bytes), line))
            } catch {
                throw StoreError(.journalLine(line: line.number, problem: error.description))
            }
        }

        var before: String?
        if files.fileExists(atPath: directory.database.path),
           let old = try? Replica(directory: directory, pool: openPool(directory.database), lock: lock) {
            before = try? old.digest()
            try old.pool.close()
        }

        let fresh = directory.url.appendingPathComponent("replica.sqlite.rebuilding")
        for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: fresh.path + suffix) }
        let pool = try openPool(fresh)
        do {
            try pool.write { db in
                try writeMeta(db, header, journalOffset: UInt64(bytes.count - tornBytes), lines: lines.count)
                var meta = try WriteMeta.read(db)
                var applier = try OpApplier(db: db, meta: meta)
                for (index, (op, line)) in ops.enumerated() {
                    try applier.receive(op, line: OpCodec.encodedBytes(op), offset: line.offset, length: line.bytes.count)
                    if index % 1000 == 999 { progress?(index + 1, ops.count) }
                }
                try applier.finish()
                meta.lamport = applier.lamport
                try meta.save(db)
            }
        } catch let error as MergeError {
            try? pool.close()
            throw StoreError(.merge(error, line: nil))
        }
        progress?(ops.count, ops.count)
        let rebuilt = try Replica(directory: directory, pool: pool, lock: lock)
        let after = try rebuilt.digest()
        try pool.close()

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
