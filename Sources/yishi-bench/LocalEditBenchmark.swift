import Foundation
import GRDB
import YishiMerge
import YishiStore

/// Local edits through the replica (op + merge state + journal, one transaction and one
/// journal fsync each) against plain SQLite inserts of the same payload, one durable
/// transaction each — the same durability a staff member's edit gets.
enum LocalEditBenchmark {
    static func title(_ index: Int) -> String { "第\(index)号议题：北门门禁改造及道闸更换" }

    static func run(count: Int) throws -> (ours: Double, plainFull: Double, plainNormal: Double) {
        let folder = Measure.temporaryDirectory("local")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent("station")), replica: "HL3-01", community: "HL3")
        let wall = WallTime(milliseconds: 1_763_800_000_000)
        let ours = try Measure.seconds {
            for index in 0..<count {
                try replica.edit([LocalEdit(record: "topic/\(index % 500)", field: "title", change: .write(title(index)))],
                                 author: "王芳", at: wall)
            }
        }
        let plainFull = try plain(count: count, folder: folder, synchronous: "FULL")
        let plainNormal = try plain(count: count, folder: folder, synchronous: "NORMAL")
        return (ours, plainFull, plainNormal)
    }

    private static func plain(count: Int, folder: URL, synchronous: String) throws -> Double {
        let pool = try DatabasePool(path: folder.appendingPathComponent("plain-\(synchronous).sqlite").path)
        // Set on the pool's one writer connection: GRDB sets NORMAL when it opens a pool in
        // WAL mode, after any prepareDatabase hook, so the pragma has to come afterwards.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE edit (record TEXT, field TEXT, value TEXT, author TEXT, wall INTEGER)")
        }
        return try Measure.seconds {
            for index in 0..<count {
                try pool.write { db in
                    try db.cachedStatement(sql: "INSERT INTO edit VALUES (?, ?, ?, ?, ?)")
                        .execute(arguments: ["topic/\(index % 500)", "title", title(index), "王芳", 1_763_800_000_000])
                }
            }
        }
    }
}
