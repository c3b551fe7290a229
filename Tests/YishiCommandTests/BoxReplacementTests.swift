import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import YishiTestSupport

/// Replacing a station's box, and rotating its key, with the real command line, the real
/// central and sync over libcurl on 127.0.0.1.
@Suite struct BoxReplacementTests {
    /// A box dies with one topic never synced. The office enrolls the new box's key as a new
    /// box; the new box is made from the central under a new replica id, takes back every
    /// synced record, recovers the unsynced topic from the old disk, and raises a topic of
    /// its own whose number continues the station's. No dot of the old box is reused, the
    /// old box's key is refused (and counted), and every replica agrees.
    @Test func aReplacedBoxContinuesTheStationWithoutReusingADot() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let old = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let neighbour = try StationUnderTest(folder, "HL3-02", community: "HL3", now: "2026-11-02 09:00")
        try central.enroll(old.data, id: "HL3-01", community: "HL3")
        try central.enroll(neighbour.data, id: "HL3-02", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        for title in ["北门门禁", "南区充电桩"] { try old.ok("topic", "raise", "--title", title, "--channel", "说事点") }
        #expect(try sync(old.data, server.url).status == 0)
        // Written on the old box and never synced: only its disk has it.
        #expect(try old.value("topic", "topic", "raise", "--title", "西门停车", "--channel", "说事点") == "HL3-01-2026-0003")
        let oldOps = try YishiBinary.ok(["clock"], data: old.data)

        // The new box: first run makes its key and says what to enroll.
        let newData = folder.path("HL3-01-new")
        let first = try YishiBinary.run(["init", "--station", "HL3-01", "--community", "HL3", "--from-central", server.url], data: newData)
        #expect(first.status != 0 && first.stderr.contains("--new-box") && first.stderr.contains("中心还不认这台设备"), "\(first.stderr)")
        let key = try YishiBinary.ok(["key"], data: newData).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(first.stderr.contains(key))
        let enrolled = try YishiBinary.ok(["central", "enroll", "--station", "HL3-01", "--community", "HL3", "--key", key, "--new-box"],
                                         data: central.data)
        #expect(enrolled.contains("HL3-01.2"))
        let made = try YishiBinary.run(["init", "--station", "HL3-01", "--community", "HL3", "--from-central", server.url], data: newData)
        #expect(made.status == 0 && made.stdout.contains("副本编号 HL3-01.2"), "\(made.stderr)")
        let replacement = StationUnderTest(data: newData, now: "2026-11-03 09:00")
        let listed = try replacement.ok("topic", "list")
        #expect(listed.contains("北门门禁") && listed.contains("南区充电桩") && !listed.contains("西门停车"))

        // The old disk can still be read: what it never synced is recovered into the new box.
        let rescue = folder.path("rescue.yishi").path
        try YishiBinary.ok(["export", "--to", rescue], data: old.data)
        try replacement.ok("import", rescue)
        #expect(try replacement.ok("topic", "list").contains("西门停车"))
        #expect(try replacement.value("topic", "topic", "raise", "--title", "东门照明", "--channel", "微信群") == "HL3-01-2026-0004")
        #expect(try sync(newData, server.url).status == 0)
        #expect(try replacement.ok("status").contains("待上传的修改：0 条"))
        #expect(try sync(neighbour.data, server.url).status == 0)

        let digest = try central.digest("HL3")
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: newData) == digest)
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: neighbour.data) == digest)
        let seen = try neighbour.ok("topic", "list")
        #expect(seen.contains("西门停车") && seen.contains("东门照明"))
        // The new box's ops are its own dots; the old box's counter stands where the old box left it.
        let clock = try YishiBinary.ok(["clock"], data: newData)
        #expect(clock.contains("HL3-01.2="))
        let oldCounter = try #require(oldOps.split(separator: ",").first { $0.hasPrefix("HL3-01=") })
        #expect(clock.split(separator: ",").contains(Substring(oldCounter.trimmingCharacters(in: .whitespacesAndNewlines))))

        // The old box, found and switched on again, is refused by its retired key, and counted.
        try old.ok("topic", "raise", "--title", "旧设备上的新议题", "--channel", "说事点")
        let refused = try sync(old.data, server.url)
        #expect(refused.status != 0 && refused.stderr.contains("已停用的旧密钥"), "\(refused.stderr)")
        #expect(try metrics(server.url).contains(#"yishi_refusals_total{reason="revoked_key"} 1"#))
    }

    /// `yishi key rotate`: the old key keeps working until the office enrolls the new one;
    /// the first sync after that switches to the new key without a missed sync, and a copy of
    /// the box still holding only the old key is refused.
    @Test func keyRotationNeverMissesASync() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try central.enroll(station.data, id: "HL3-01", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let before = try YishiBinary.ok(["key"], data: station.data).trimmingCharacters(in: .whitespacesAndNewlines)
        let copy = folder.path("copy-with-the-old-key")
        try FileManager.default.copyItem(at: station.data, to: copy)

        let next = try station.value("publicKey", "key", "rotate")
        #expect(try station.ok("key", "rotate").contains("已有一把待登记的新密钥"))
        #expect(next != before)
        try station.ok("topic", "raise", "--title", "北门门禁", "--channel", "说事点")
        #expect(try sync(station.data, server.url).status == 0, "the old key still works until the new one is enrolled")
        #expect(try YishiBinary.ok(["key"], data: station.data).hasPrefix(before))

        let enrolled = try YishiBinary.ok(["central", "enroll", "--station", "HL3-01", "--community", "HL3", "--key", next], data: central.data)
        #expect(enrolled.contains("旧密钥从现在起作废"))
        try station.ok("topic", "raise", "--title", "南区充电桩", "--channel", "说事点")
        #expect(try sync(station.data, server.url).status == 0, "the first sync after enrollment is signed by the new key too")
        #expect(try YishiBinary.ok(["key"], data: station.data).trimmingCharacters(in: .whitespacesAndNewlines) == next)
        #expect(!FileManager.default.fileExists(atPath: station.data.appendingPathComponent("station.key.next").path))
        #expect(try sync(station.data, server.url).status == 0)
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: station.data) == central.digest("HL3"))

        let stale = try sync(copy, server.url)
        #expect(stale.status != 0 && stale.stderr.contains("已停用的旧密钥"))
        let reused = try YishiBinary.run(["central", "enroll", "--station", "HL3-01", "--community", "HL3", "--key", before], data: central.data)
        #expect(reused.status != 0 && reused.stderr.contains("已经停用的旧密钥"))
        #expect(try metrics(server.url).contains(#"yishi_refusals_total{reason="revoked_key"} 1"#))
    }

    private func metrics(_ url: String) throws -> String {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var text = ""
        URLSession.shared.dataTask(with: URL(string: url + "/metrics")!) { data, _, _ in
            text = String(decoding: data ?? Data(), as: UTF8.self)
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return text
    }
}
