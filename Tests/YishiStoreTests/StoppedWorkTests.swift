import Foundation
import Testing
import YishiMerge
import YishiStore
import YishiTestSupport

/// Long work stopped at any of its reports (what Ctrl+C does) leaves nothing half done:
/// no `.partial` backup, no `.restoring` copy, no half-built replica, no half import, and
/// the data it worked from as it was.
@Suite struct StoppedWorkTests {
    let folder = TemporaryDirectory()
    let wall = WallTime(milliseconds: 1_763_800_000_000)

    /// A replica with a few thousand ops, so every stage reports more than once.
    func filled(_ name: String) throws -> Replica {
        let replica = try Replica.create(at: folder.dataDirectory(name), replica: name, community: "HL3")
        for batch in 0..<60 {
            try replica.edit((0..<50).map { index in
                LocalEdit(record: "topic/\(batch)", field: "note\(index)", change: .write("第 \(batch) 批第 \(index) 条"))
            }, author: "王芳", at: wall)
        }
        return replica
    }

    /// Every report a whole run makes, in order.
    func reports(of work: (@escaping ProgressReport) throws -> Void) throws -> [WorkProgress] {
        var seen: [WorkProgress] = []
        try work { seen.append($0) }
        return seen
    }

    /// A report that throws `stopped` at the `at`-th call.
    func stopping(at: Int) -> ProgressReport {
        var calls = 0
        return { _ in
            calls += 1
            if calls == at { throw StoreError.stopped }
        }
    }

    func expectStopped(_ work: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) { try work() } throws: { ($0 as? StoreError)?.isStopped == true }
    }

    /// Each stage's first and last report: where a stop is most likely to hurt.
    func stopPoints(_ seen: [WorkProgress]) -> [Int] {
        var points: Set<Int> = []
        for (index, progress) in seen.enumerated() {
            if index == 0 || seen[index - 1].stage != progress.stage { points.insert(index + 1) }
            if index == seen.count - 1 || seen[index + 1].stage != progress.stage { points.insert(index + 1) }
        }
        return points.sorted()
    }

    @Test func aStoppedBackupLeavesNoBackup() throws {
        let replica = try filled("A")
        let backups = folder.path("backups")
        let seen = try reports { try Backup.make(of: replica, into: backups.appendingPathComponent("whole"), progress: $0) }
        #expect(Set(seen.map(\.stage)).isSuperset(of: ["复制数据库", "复制日志", "计算校验值", "核对日志", "计算摘要"]))
        for point in stopPoints(seen) {
            let target = backups.appendingPathComponent("stopped-\(point)")
            expectStopped { try Backup.make(of: replica, into: target, progress: stopping(at: point)) }
            #expect(!FileManager.default.fileExists(atPath: target.path))
            #expect(!FileManager.default.fileExists(atPath: target.path + ".partial"))
        }
    }

    @Test func aStoppedRestoreLeavesTheTargetAlone() throws {
        let replica = try filled("A")
        let backup = folder.path("backup")
        try Backup.make(of: replica, into: backup)
        let seen = try reports { try Backup.restore(from: backup, into: folder.dataDirectory("whole"), progress: $0) }
        #expect(Set(seen.map(\.stage)).isSuperset(of: ["核对备份文件", "复制文件", "核对日志", "计算摘要"]))
        for point in stopPoints(seen) {
            let target = folder.dataDirectory("stopped-\(point)")
            expectStopped { try Backup.restore(from: backup, into: target, progress: stopping(at: point)) }
            #expect(!FileManager.default.fileExists(atPath: target.url.path))
            #expect(!FileManager.default.fileExists(atPath: target.url.path + ".restoring"))
        }
    }

    @Test func aStoppedRebuildKeepsTheReplicaInUse() throws {
        let digest = try { () throws -> String in
            let replica = try filled("A")
            defer { try? replica.close() }
            return try replica.digest()
        }()
        let directory = folder.dataDirectory("A")
        let database = try Data(contentsOf: directory.database)
        let seen = try reports { _ = try Replica.rebuild(folder.dataDirectory("A"), progress: $0) }
        #expect(Set(seen.map(\.stage)).isSuperset(of: ["读取日志", "计算原副本摘要", "重建副本", "计算新副本摘要"]))
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.url.path) where name.hasPrefix("replica.sqlite.before-rebuild") {
            try FileManager.default.removeItem(at: directory.url.appendingPathComponent(name))
        }
        let rebuilt = try Data(contentsOf: directory.database)
        for point in stopPoints(seen) {
            expectStopped { try Replica.rebuild(directory, progress: stopping(at: point)) }
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
            #expect(!left.contains { $0.hasPrefix("replica.sqlite.rebuilding") || $0.hasPrefix("replica.sqlite.before-rebuild") }, "\(left)")
            #expect(try Data(contentsOf: directory.database) == rebuilt)
        }
        #expect(database.count > 0)
        let reopened = try Replica.open(directory)
        #expect(try reopened.digest() == digest)
    }

    @Test func aStoppedImportImportsNothing() throws {
        let source = try filled("A")
        let bundle = folder.path("a.yishi")
        expectStopped { try source.export(to: bundle, progress: stopping(at: 1)) }
        #expect(!FileManager.default.fileExists(atPath: bundle.path))
        let trusted = TrustedCommunity(["A", "B", "C"])
        try source.export(to: bundle, signers: trusted.signers("A"))
        let target = try trusted.replica("B", at: folder.dataDirectory("B"))
        let before = try target.digest()
        let seen = try reports { _ = try trusted.replica("C", at: folder.dataDirectory("C")).importBundle(at: bundle, progress: $0) }
        #expect(seen.last == WorkProgress("导入修改", done: 3_000, total: 3_000))
        for point in stopPoints(seen) {
            expectStopped { try target.importBundle(at: bundle, progress: stopping(at: point)) }
            #expect(try target.digest() == before)
            #expect(try target.verifyJournal().problems.isEmpty)
        }
        #expect(try target.importBundle(at: bundle).applied == 3_000)
    }
}
