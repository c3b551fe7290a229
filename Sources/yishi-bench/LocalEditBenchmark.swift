import Foundation
import GRDB
import YishiMerge
import YishiStore

/// Local edits through the replica (op + merge state + journal, one transaction and one
/// journal fsync each) against plain SQLite inserts of the same payload, one durable
/// transaction each — the same durability a staff member's edit gets.
enum LocalEditBenchmark {
    static func title(_ index: Int) -> String { "第\(index)号议题：北门门禁改造及道闸更换" }

    /// Seconds for all the edits, wall clock and this process's CPU.
    struct Result {
        var ours: (wall: Double, user: Double, system: Double)
        var plainFull: (wall: Double, user: Double, system: Double)
        var plainNormal: (wall: Double, user: Double, system: Double)
        /// One journal-sized line written and `fdatasync`ed, per edit: appended, so the file
        /// grows, as the journal does; appended into blocks `fallocate` reserved beyond the
        /// end (the file still grows, so its size must still be synced); and written over bytes
        /// already there, as SQLite's WAL mostly is once it has been checkpointed.
        var syncGrowing: Double
        var syncPreallocated: Double
        var syncInPlace: Double
    }

    static func run(count: Int) throws -> Result {
        let folder = Measure.temporaryDirectory("local")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent("station")), replica: "HL3-01", community: "HL3")
        let wall = WallTime(milliseconds: 1_763_800_000_000)
        let ours = try Measure.wallUserSystem {
            for index in 0..<count {
                try replica.edit([LocalEdit(record: "topic/\(index % 500)", field: "title", change: .write(title(index)))],
                                 author: "王芳", at: wall)
            }
        }
        let plainFull = try plain(count: count, folder: folder, synchronous: "FULL")
        let plainNormal = try plain(count: count, folder: folder, synchronous: "NORMAL")
        return Result(ours: ours, plainFull: plainFull, plainNormal: plainNormal,
                      syncGrowing: try syncs(count: count, folder: folder, file: .growing),
                      syncPreallocated: try syncs(count: count, folder: folder, file: .preallocated),
                      syncInPlace: try syncs(count: count, folder: folder, file: .inPlace))
    }

    private enum SyncedFile: String { case growing, preallocated, inPlace }

    /// `count` lines of 252 bytes (an edit's journal line), each written and synced.
    private static func syncs(count: Int, folder: URL, file: SyncedFile) throws -> Double {
        let path = folder.appendingPathComponent(file.rawValue).path
        let line = [UInt8](repeating: 0x61, count: 251) + [0x0A]
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        switch file {
        case .growing: break
        case .preallocated:
            guard linuxFallocate(descriptor, 1 /* FALLOC_FL_KEEP_SIZE */, 0, off_t(count * line.count)) == 0, fsync(descriptor) == 0 else {
                throw CocoaError(.fileWriteUnknown)
            }
        case .inPlace:
            let zeros = [UInt8](repeating: 0, count: count * line.count)
            guard write(descriptor, zeros, zeros.count) == zeros.count, fsync(descriptor) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        return try Measure.seconds {
            for index in 0..<count {
                guard pwrite(descriptor, line, line.count, off_t(index * line.count)) == line.count, fdatasync(descriptor) == 0 else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
        }
    }

    private static func plain(count: Int, folder: URL, synchronous: String) throws -> (wall: Double, user: Double, system: Double) {
        let pool = try DatabasePool(path: folder.appendingPathComponent("plain-\(synchronous).sqlite").path)
        // Set on the pool's one writer connection: GRDB sets NORMAL when it opens a pool in
        // WAL mode, after any prepareDatabase hook, so the pragma has to come afterwards.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE edit (record TEXT, field TEXT, value TEXT, author TEXT, wall INTEGER)")
        }
        return try Measure.wallUserSystem {
            for index in 0..<count {
                try pool.write { db in
                    try db.cachedStatement(sql: "INSERT INTO edit VALUES (?, ?, ?, ?, ?)")
                        .execute(arguments: ["topic/\(index % 500)", "title", title(index), "王芳", 1_763_800_000_000])
                }
            }
        }
    }
}

/// glibc's `fallocate(2)`, which Swift's Glibc module leaves out (it is declared only under
/// `_GNU_SOURCE`); the signature is glibc's own, with `off_t` 64 bits on this platform.
@_silgen_name("fallocate")
private func linuxFallocate(_ descriptor: Int32, _ mode: Int32, _ offset: off_t, _ length: off_t) -> Int32
