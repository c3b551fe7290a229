import Foundation
import Testing
import YishiTestSupport

/// `yishi backup` and `yishi restore` on real data directories, with real processes
/// writing while the copy is taken, and a central restored to an older state.
@Suite struct BackupTests {
    /// Backups taken while another process keeps writing are each a consistent snapshot:
    /// restored, each verifies and has the digest its manifest recorded; the last one, taken
    /// after the writes, has the station's own digest. `--keep` prunes only older backups.
    @Test func backupUnderConcurrentWritesRestoresWithTheSameDigest() throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01")
        try Data("密钥之外的一份文件\n".utf8).write(to: station.appendingPathComponent("备注.txt"))
        let backups = folder.path("backups")
        let writer = YishiBinary.configured(["debug", "edit-loop", "--count", "4000"], data: station, author: "王芳")
        writer.standardOutput = FileHandle.nullDevice
        try writer.run()
        var made: [(path: String, digest: String, ops: Int)] = []
        while writer.isRunning || made.count < 3 {
            let result = try YishiBinary.run(["backup", "--to", backups.path, "--json"], data: station)
            #expect(result.status == 0, "\(result.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            made.append((try #require(object["path"] as? String), try #require(object["digest"] as? String), try #require(object["ops"] as? Int)))
            usleep(1_100_000)  // backup names have one-second resolution
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        #expect(Set(made.map(\.ops)).count > 1, "the writes should have been under way during the backups: \(made.map(\.ops))")

        for (index, backup) in made.enumerated() {
            let restored = folder.path("restored-\(index)")
            let result = try YishiBinary.run(["restore", backup.path], data: restored)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try YishiBinary.ok(["digest"], data: restored) .trimmingCharacters(in: .whitespacesAndNewlines) == backup.digest)
            #expect(try YishiBinary.ok(["journal", "verify"], data: restored).contains("日志与副本一致"))
            #expect(FileManager.default.contents(atPath: restored.appendingPathComponent("备注.txt").path) != nil)
            let key = try FileManager.default.attributesOfItem(atPath: restored.appendingPathComponent("station.key").path)
            #expect((key[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
        let last = try YishiBinary.ok(["backup", "--to", backups.path, "--keep", "2", "--json"], data: station)
        #expect(last.contains(try YishiBinary.ok(["digest"], data: station).trimmingCharacters(in: .whitespacesAndNewlines)))
        let kept = try FileManager.default.contentsOfDirectory(atPath: backups.path).filter { !$0.hasSuffix(".partial") }
        #expect(kept.count == 2)
    }

    /// A damaged backup, a non-empty target and a missing manifest are refused, and the
    /// target is left as it was.
    @Test func restoreRefusesWhatItCannotTrust() throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01")
        try YishiBinary.ok(["topic", "raise", "--title", "北门门禁", "--channel", "说事点"], data: station, author: "王芳")
        let backups = folder.path("backups")
        let backup = URL(fileURLWithPath: try backUp(station, to: backups))

        let busy = folder.path("busy")
        try FileManager.default.createDirectory(at: busy, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: busy.appendingPathComponent("别的文件"))
        let notEmpty = try YishiBinary.run(["restore", backup.path], data: busy)
        #expect(notEmpty.status != 0 && notEmpty.stderr.contains("不是空的"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: busy.path) == ["别的文件"])

        let nothing = try YishiBinary.run(["restore", station.path], data: folder.path("new"))
        #expect(nothing.status != 0 && nothing.stderr.contains("不是 Yishi 备份"))

        // One byte of the journal changed on the backup medium.
        let journal = backup.appendingPathComponent("journal.jsonl")
        var bytes = try Data(contentsOf: journal)
        bytes[bytes.count - 20] ^= 0x01
        try bytes.write(to: journal)
        let damaged = try YishiBinary.run(["restore", backup.path], data: folder.path("new"))
        #expect(damaged.status != 0 && damaged.stderr.contains("journal.jsonl") && damaged.stderr.contains("不能用"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("new").path))
    }

    /// The central restored from a backup older than what stations pushed since: each
    /// station learns at its next sync that the central holds fewer of its ops than it
    /// acknowledged, and pushes them again; nothing is lost.
    @Test func centralRestoredFromAnOlderBackupGetsTheStationsOpsAgain() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let a = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let b = try StationUnderTest(folder, "HL3-02", community: "HL3", now: "2026-11-02 09:00")
        try central.enroll(a.data, id: "HL3-01", community: "HL3")
        try central.enroll(b.data, id: "HL3-02", community: "HL3")
        var server = try CentralProcess(data: central.data)
        try a.ok("topic", "raise", "--title", "北门门禁", "--channel", "说事点")
        #expect(try sync(a.data, server.url).status == 0)
        let backup = try backUp(central.data, to: folder.path("backups"))

        try a.ok("topic", "raise", "--title", "南区充电桩", "--channel", "微信群")
        try b.ok("topic", "raise", "--title", "东门照明", "--channel", "说事点")
        #expect(try sync(a.data, server.url).status == 0)
        #expect(try sync(b.data, server.url).status == 0)
        #expect(try sync(a.data, server.url).status == 0)
        server.stop()

        let restored = folder.path("central-restored")
        let result = try YishiBinary.run(["restore", backup], data: restored)
        #expect(result.status == 0 && result.stdout.contains("中心已恢复"), "\(result.stderr)")
        server = try CentralProcess(data: restored)
        defer { server.stop() }
        for station in [a, b, a, b] { #expect(try sync(station.data, server.url).status == 0) }
        let digest = try YishiBinary.ok(["central", "digest", "--scope", "HL3"], data: restored)
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: a.data) == digest)
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: b.data) == digest)
        #expect(try b.ok("topic", "list").contains("南区充电桩"))
    }

    /// A station restored from a backup made before its last pushes writes nothing until a
    /// sync has brought its own later ops back from the central; then its next topic takes
    /// the next number, and every replica agrees.
    @Test func stationRestoredFromABackupTakesBackItsOwnOpsBeforeWriting() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let a = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try central.enroll(a.data, id: "HL3-01", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        try a.ok("topic", "raise", "--title", "北门门禁", "--channel", "说事点")
        #expect(try sync(a.data, server.url).status == 0)
        let backup = try backUp(a.data, to: folder.path("backups"))
        try a.ok("topic", "raise", "--title", "南区充电桩", "--channel", "微信群")
        #expect(try sync(a.data, server.url).status == 0)

        let restoredData = folder.path("HL3-01-restored")
        #expect(try YishiBinary.run(["restore", backup], data: restoredData).status == 0)
        let restored = StationUnderTest(data: restoredData, now: a.now)
        try restored.refused("topic", "raise", "--title", "西门停车", "--channel", "说事点", mentions: ["从", "备份恢复", "先与中心同步一次"])
        #expect(try sync(restoredData, server.url).status == 0)
        #expect(try restored.ok("topic", "list").contains("南区充电桩"))
        let third = try restored.value("topic", "topic", "raise", "--title", "西门停车", "--channel", "说事点")
        #expect(third == "HL3-01-2026-0003")
        #expect(try sync(restoredData, server.url).status == 0)
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: restoredData) == central.digest("HL3"))
    }

    /// `yishi backup --to folder`; returns the new backup's path.
    private func backUp(_ data: URL, to folder: URL) throws -> String {
        let answer = try YishiBinary.ok(["backup", "--to", folder.path, "--json"], data: data)
        let object = try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]
        return try #require(object?["path"] as? String, "\(answer)")
    }
}
