import Foundation
import Testing
import YishiTestSupport

/// Stations, the central node and sync over libcurl, as real processes on 127.0.0.1.
@Suite struct SyncTests {
    /// Three stations (two in one community, one in another) edit while cut off from the
    /// central, then heal: each community's stations agree with the central's view of it,
    /// nothing crosses communities, and concurrent edits show as conflicts.
    @Test func stationsEditApartWhileTheCentralIsDownThenHeal() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        var a = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        var b = try StationUnderTest(folder, "HL3-02", community: "HL3", now: "2026-11-02 09:00")
        let c = try StationUnderTest(folder, "HL4-01", community: "HL4", now: "2026-11-02 09:00")
        b.author = "李强"
        for (station, id, community) in [(a, "HL3-01", "HL3"), (b, "HL3-02", "HL3"), (c, "HL4-01", "HL4")] {
            try central.enroll(station.data, id: id, community: community)
        }
        var server = try CentralProcess(data: central.data)
        let topic = try a.value("topic", "topic", "raise", "--title", "北门门禁", "--channel", "说事点",
                                "--description", "门禁经常失灵。\n外来车辆随意进出。\n")
        #expect(try sync(a.data, server.url).status == 0)
        #expect(try sync(b.data, server.url).status == 0)
        server.kill()

        a.now = "2026-11-03 09:00"
        b.now = "2026-11-03 09:00"
        try a.ok("topic", "edit", topic, "--title", "北门门禁改造", "--description", "门禁经常失灵，需更换。\n外来车辆随意进出。\n")
        try b.ok("topic", "edit", topic, "--title", "更换北门门禁", "--description", "门禁经常失灵。\n外来车辆随意进出，夜间尤甚。\n")
        try c.ok("topic", "raise", "--title", "南区充电桩", "--channel", "微信群")
        let down = try sync(a.data, server.url)
        #expect(down.status != 0 && down.stderr.contains("连不上中心"))
        #expect(try a.ok("status").contains("待上传的修改：2 条"))

        server = try CentralProcess(data: central.data)
        defer { server.stop() }
        for station in [a, b, c, a, b] { #expect(try sync(station.data, server.url).status == 0) }
        let hl3 = try central.digest("HL3")
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: a.data) == hl3)
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: b.data) == hl3)
        #expect(try YishiBinary.ok(["digest", "--scope", "HL4"], data: c.data) == central.digest("HL4"))
        #expect(try a.ok("topic", "list").contains("南区充电桩") == false)
        #expect(try c.ok("topic", "list").contains("北门") == false)
        let shown = try b.ok("topic", "show", topic)
        #expect(shown.contains("门禁经常失灵，需更换。") && shown.contains("外来车辆随意进出，夜间尤甚。"))
        let conflicts = try a.ok("conflicts")
        #expect(conflicts.contains("站点 HL3-01，王芳") && conflicts.contains("站点 HL3-02，李强"))
        #expect(try a.ok("status").contains("待上传的修改：0 条"))
    }

    /// A station killed with SIGKILL in the middle of pushing, again and again: in the end
    /// the central has every op exactly once.
    @Test func stationKilledWhilePushingLosesNothing() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let station = try folder.station("HL3-01", community: "HL3")
        try central.enroll(station, id: "HL3-01", community: "HL3")
        try YishiBinary.ok(["debug", "edit-loop", "--count", "1500"], data: station)
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        try syncKilledMidway(station, server.url, times: 12)
        #expect(try sync(station, server.url).status == 0)
        #expect(try YishiBinary.ok(["clock"], data: central.data).contains("HL3-01=3000"))
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: station) == central.digest("HL3"))
        #expect(try YishiBinary.ok(["journal", "verify"], data: central.data).contains("日志与副本一致"))
        #expect(try YishiBinary.ok(["status"], data: station).contains("待上传的修改：0 条"))
    }

    /// A central and two enrolled stations of HL3; the first has made `count` rounds of
    /// edits (two ops each) that nobody has synced yet.
    static func twoStations(in folder: TemporaryDirectory, editing count: Int) throws -> (CentralUnderTest, URL, URL) {
        let central = try CentralUnderTest(folder.path("central"))
        let station = try folder.station("HL3-01", community: "HL3")
        let other = try folder.station("HL3-02", community: "HL3")
        try central.enroll(station, id: "HL3-01", community: "HL3")
        try central.enroll(other, id: "HL3-02", community: "HL3")
        try YishiBinary.ok(["debug", "edit-loop", "--count", String(count)], data: station)
        return (central, station, other)
    }

    /// A station killed with SIGKILL in the middle of pulling, again and again, while its
    /// next batch is being fetched beside the apply of the one before: in the end it holds
    /// exactly what the central holds, and its journal and replica agree.
    @Test func stationKilledWhilePullingLosesNothing() throws {
        let folder = TemporaryDirectory()
        let (central, station, other) = try Self.twoStations(in: folder, editing: 2500)
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        #expect(try sync(station, server.url).status == 0)
        try syncKilledMidway(other, server.url, times: 10)
        #expect(try sync(other, server.url).status == 0)
        #expect(try YishiBinary.ok(["clock"], data: other).contains("HL3-01=5000"))
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: other) == central.digest("HL3"))
        #expect(try YishiBinary.ok(["journal", "verify"], data: other).contains("日志与副本一致"))
    }

    /// The central killed with SIGKILL in the middle of batches, again and again: nothing a
    /// station pushed is lost, nothing is stored twice, and its journal and replica agree.
    @Test func centralKilledDuringBatchesLosesNothing() throws {
        let folder = TemporaryDirectory()
        let (central, station, other) = try Self.twoStations(in: folder, editing: 1500)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<8 {
            let server = try CentralProcess(data: central.data)
            let push = YishiBinary.configured(["sync", "--once", "--central", server.url], data: station, author: "x")
            push.standardOutput = FileHandle.nullDevice
            push.standardError = FileHandle.nullDevice
            try push.run()
            usleep(UInt32.random(in: 20_000...300_000, using: &generator))
            server.kill()
            push.waitUntilExit()
        }
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        #expect(try sync(station, server.url).status == 0)
        #expect(try sync(other, server.url).status == 0)
        #expect(try YishiBinary.ok(["clock"], data: central.data).contains("HL3-01=3000"))
        #expect(try YishiBinary.ok(["journal", "verify"], data: central.data).contains("日志与副本一致"))
        let digest = try central.digest("HL3")
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: station) == digest)
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: other) == digest)
    }
}

/// What the street office writes at the central node reaches the stations of that
/// community, and only them.
@Suite struct CentralEditTests {
    @Test func anEscalationAnsweredAtTheCentralReachesTheStation() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let station = try StationUnderTest(folder, "SX-01", community: "SX", now: "2026-03-01 09:00")
        let elsewhere = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-03-01 09:00")
        try central.enroll(station.data, id: "SX-01", community: "SX")
        try central.enroll(elsewhere.data, id: "HL3-01", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let topic = try station.value("topic", "topic", "raise", "--title", "高龄津贴发放延迟", "--channel", "入户走访")
        let escalation = try station.value("escalation", "escalation", "add", "--topic", topic, "--level", "区",
                                           "--department", "民政局", "--reason", "社区无权核发")
        #expect(try sync(station.data, server.url).status == 0)
        // The office answers at the central.
        let answered = try YishiBinary.run(["escalation", "respond", escalation, "--reported-on", "2026-03-05",
                                            "--response", "已补发"], data: central.data, author: "街道民政科", now: "2026-03-05 10:00")
        #expect(answered.status == 0, "\(answered.stderr)")
        #expect(try sync(station.data, server.url).status == 0)
        #expect(try sync(elsewhere.data, server.url).status == 0)
        #expect(try station.ok("topic", "show", topic).contains("已报到：已补发"))
        #expect(try YishiBinary.ok(["digest", "--scope", "SX"], data: station.data) == central.digest("SX"))
        #expect(try YishiBinary.ok(["clock"], data: elsewhere.data).contains("central") == false)
        #expect(try YishiBinary.ok(["clock"], data: station.data).contains("central.SX=2"))
    }
}
