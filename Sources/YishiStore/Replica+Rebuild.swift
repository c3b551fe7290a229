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
    public func verifyJournal(progress: ProgressReport? = nil) throws -> JournalReport {
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
        let total = Int64(lines.count - 1)
        for (index, line) in lines.dropFirst().enumerated() {
            if index % 4096 == 0 { try progress?(WorkProgress("核对日志", done: Int64(index), total: total)) }
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
        try progress?(WorkProgress("核对日志", done: total, total: total))
        for offset in stored.keys.sorted() {
            report.problems.append("副本中有一条修改在日志字节位置 \(offset) 处找不到")
        }
        return report
    }

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
        var ops: [(Op, Journal.Line)] = []
        let count = Int64(lines.count - 1)
        for (index, line) in lines.dropFirst().enumerated() {
            if index % 4096 == 0 { try progress?(WorkProgress("读取日志", done: Int64(index), total: count)) }
            do {
                ops.append((try OpCodec.decode(line.bytes), line))
            } catch {
                throw StoreError(.journalLine(line: line.number, problem: error.description))
            }
        }

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
                for (index, (op, line)) in ops.enumerated() {
                    try applier.receive(op, line: OpCodec.encodedBytes(op), offset: line.offset, length: line.bytes.count)
                    if index % 1000 == 999 { try progress?(WorkProgress("重建副本", done: Int64(index + 1), total: Int64(ops.count))) }
                }
                try applier.finish()
                meta.lamport = applier.lamport
                try meta.save(db)
            }
            try progress?(WorkProgress("重建副本", done: Int64(ops.count), total: Int64(ops.count)))
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
