import Foundation
import Testing
import YishiTestSupport

/// A station on a newer build writes what this build's model lacks — a field it added and
/// new choices in two vocabularies — and its ops reach a station on this build through the
/// central, and a third one as a bundle carried by hand. Every replica keeps them (journal
/// and replica, equal digests), relays them, keeps working, and shows them as newer content.
@Suite struct NewerBuildTests {
    @Test func newerContentTravelsThroughTheCentralAndByBundleAndIsShown() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let older = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        var newer = try StationUnderTest(folder, "HL3-02", community: "HL3", now: "2026-11-02 09:00")
        newer.author = "李强"
        let carried = try StationUnderTest(folder, "HL3-03", community: "HL3", now: "2026-11-02 09:00")
        try central.enroll(older.data, id: "HL3-01", community: "HL3")
        try central.enroll(newer.data, id: "HL3-02", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }

        let topic = try older.value("topic", "topic", "raise", "--title", "北门门禁", "--channel", "说事点")
        try older.ok("topic", "classify", topic, "--as", "待办", "--category", "居民急难愁盼问题")
        try older.confirm(topic)
        let meeting = try older.value(
            "meeting", "meeting", "schedule", "--form", "居民议事会", "--time", "2026-11-06 14:30", "--place", "社区议事厅",
            "--host", "张书记", "--topic", topic)
        #expect(try sync(older.data, server.url).status == 0)
        #expect(try sync(newer.data, server.url).status == 0)

        // What the newer build writes, as raw ops (this build's commands would refuse them).
        for (record, field, value) in [
            ("topic/\(topic)", "satisfactionSurvey", "已发放 120 份"), ("topic/\(topic)", "category", "社区安全"),
            ("meeting/\(meeting)", "form", "线上线下结合协商会"),
        ] {
            try YishiBinary.ok(["debug", "put", record, field, value], data: newer.data, author: "李强")
        }
        #expect(try sync(newer.data, server.url).status == 0)
        #expect(try sync(older.data, server.url).status == 0)

        let notice = "有新版本的内容，请升级后查看：类别“社区安全”、satisfactionSurvey、会议 \(meeting)：会议形式“线上线下结合协商会”"
        #expect(try older.ok("topic", "show", topic).contains(notice))
        #expect(try older.ok("meeting", "show", meeting).contains("有新版本的内容，请升级后查看：会议形式“线上线下结合协商会”"))
        #expect(try older.ok("journal", "verify").contains("日志与副本一致"))

        // The older station keeps working on the same topic; its edit travels back.
        try older.ok("topic", "edit", topic, "--title", "北门门禁更换")
        #expect(try sync(older.data, server.url).status == 0)
        #expect(try sync(newer.data, server.url).status == 0)

        // A third station gets it all from the older one on a stick.
        let bundle = folder.path("carried.bundle").path
        try older.ok("export", "--to", bundle)
        // Set up with the street's key (yishi setup station asks for it), it checks every op.
        try carried.ok("trust", "pin", try central.streetKey)
        try carried.ok("import", bundle)
        let shown = try carried.ok("topic", "show", topic)
        #expect(shown.contains("北门门禁更换") && shown.contains(notice))

        let digest = try central.digest("HL3")
        for station in [older, newer, carried] {
            #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: station.data) == digest)
            let journal = try String(contentsOf: station.data.appendingPathComponent("journal.jsonl"), encoding: .utf8)
            #expect(journal.contains("\"field\":\"satisfactionSurvey\"") && journal.contains("线上线下结合协商会"))
        }
        let json = try older.ok("topic", "show", topic, "--json")
        #expect(json.contains("satisfactionSurvey"))
    }
}
