import Foundation
import Testing
import YishiTestSupport

/// A central and a station written by the release before signatures (`PreviousRelease/`,
/// made by its make.sh) opened by this one: they migrate, sync, and their whole history
/// becomes verified — including what the station recorded for the street under the old
/// rules, and the office's answer it had pulled unsigned.
@Suite struct UpgradeTests {
    static let fixture = Bundle.module.url(forResource: "PreviousRelease", withExtension: nil)!

    @Test func aCentralAndAStationOfThePreviousReleaseSyncAndTheirHistoryIsVerified() throws {
        let folder = TemporaryDirectory()
        for name in ["central", "HL3-01"] {
            try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent(name), to: folder.path(name))
        }
        let central = CentralUnderTest(data: folder.path("central"))
        let station = StationUnderTest(data: folder.path("HL3-01"), now: "2026-11-12 09:00")
        #expect(try station.ok("status").contains("待上传的修改"))
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }

        // Its first signed push carries what it wrote before it signed, the department's
        // answer it recorded itself among them; then a box of this release joins.
        #expect(try sync(station.data, server.url).status == 0)
        #expect(try station.ok("status").contains("待上传的修改：0 条"))
        let newcomer = try StationUnderTest(folder, "HL3-02", community: "HL3", now: "2026-11-12 09:00")
        try central.enroll(newcomer.data, id: "HL3-02", community: "HL3")
        #expect(try sync(newcomer.data, server.url).status == 0)
        let shown = try newcomer.ok("topic", "show", "HL3-01-2026-0001")
        #expect(shown.contains("已安排维修") && shown.contains("已立项"), "\(shown)")
        #expect(try newcomer.ok("topic", "list").contains("西门停车"))
        // Once it signs, what it records for the street now is refused, as at any station.
        try station.refused("escalation", "respond", "HL3-01-2026-S001", "--reported-on", "2026-11-12", "--response", "x",
                            mentions: ["只能由街道录入"])

        let digest = try central.digest("HL3")
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: station.data) == digest)
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: newcomer.data) == digest)
        for data in [station.data, newcomer.data, central.data] {
            let report = try YishiBinary.ok(["journal", "verify", "--json"], data: data)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
            #expect(object["ok"] as? Bool == true, "\(report)")
            #expect((object["unverified"] as? [String: Any])?.isEmpty == true, "\(data.lastPathComponent): \(report)")
        }
        let trust = try newcomer.ok("trust")
        #expect(trust.contains("HL3-01") && trust.contains("写于签名之前"), "\(trust)")
    }
}
