import Foundation
import Testing
import YishiTestSupport

/// The seeds' procedures tried as a new user would, through the real binary: figures that
/// say nothing of what is not there, outcomes judged by the rules of their day, two stations'
/// incompatible outcomes shown and settled as one conflict, and the smaller things a user
/// trips over.
@Suite struct ProcedureLooseEndsTests {
    /// A confirmed topic at a 议事厅 meeting sent on to the residents' assembly.
    static func toTheAssembly(_ station: StationUnderTest, _ title: String, meetingOn day: String) throws -> String {
        let topic = try station.value("topic", "topic", "raise", "--title", title, "--channel", "说事厅")
        try station.confirm(topic)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "居民议事会", "--time", "\(day) 14:30",
                                        "--place", "议事厅", "--host", "张书记", "--topic", topic)
        try station.ok("meeting", "close", meeting, "--topic", topic, "--assembly", at: "\(day) 16:00")
        return topic
    }

    static func setRule(_ station: StationUnderTest, _ key: String, _ value: Int) throws {
        let rules = station.data.appendingPathComponent("rules.toml")
        let text = try String(contentsOf: rules, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(key + " =") })
        try text.replacingOccurrences(of: line, with: "\(key) = \(value)").write(to: rules, atomically: true, encoding: .utf8)
    }

    @Test func figuresSayNothingOfWhatIsNotThere() throws {
        let folder = TemporaryDirectory()
        var station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try station.committee(Array(StationUnderTest.tenMembers.prefix(5)))
        let passed = try Self.toTheAssembly(station, "健身场地改造", meetingOn: "2026-11-06")
        let rejected = [try Self.toTheAssembly(station, "大门改为刷脸", meetingOn: "2026-11-06"),
                        try Self.toTheAssembly(station, "取消地面停车", meetingOn: "2026-11-06")]
        let referral = try station.ok("topic", "show", passed)
        #expect(referral.contains("提交居民会议决定") && !referral.contains("未通过"), "a referral is not a failed vote: \(referral)")
        #expect(referral.components(separatedBy: passed).count == 2, "its number once, in its heading: \(referral)")
        station.now = "2026-11-20 20:00"
        try station.ok("assembly", "record", passed, "--date", "2026-11-20", "--convened", "户代表", "--entitled", "100", "--attended", "80", "--for", "60")
        station.now = "2026-11-27 20:00"
        for topic in rejected {
            try station.ok("assembly", "record", topic, "--date", "2026-11-27", "--convened", "户代表", "--entitled", "100", "--attended", "80", "--for", "10")
        }
        let stats = try station.ok("stats")
        #expect(stats.contains("已办结 0 件，解决率 0.0%") && !stats.contains("从登记到办结"), "no time to 办结 for nothing 办结: \(stats)")
        #expect(stats.contains("化解率 —") && !stats.contains("化解率 0.0%"), "no dispute, no rate: \(stats)")
        #expect(stats.contains("居民会议 3 次，其中达到法定人数作出决定 3 次"))
        let empty = try station.ok("stats", "--from", "2030-01-01", "--to", "2030-12-31")
        #expect(empty.contains("收集事项 0 件，已办结 0 件，解决率 —"), "\(empty)")
        let json = try JSONSerialization.jsonObject(with: Data(try station.ok("stats", "--from", "2030-01-01", "--json").utf8)) as? [String: Any]
        #expect(json?["resolutionPerMille"] == nil && json?["medianDaysToResolution"] == nil)
    }

    @Test func anOutcomeKeepsTheRulesOfItsDay() throws {
        let folder = TemporaryDirectory()
        var station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try station.committee(Array(StationUnderTest.tenMembers.prefix(5)))
        try Self.setRule(station, "assembly_quorum_percent", 66)
        let topic = try Self.toTheAssembly(station, "使用公益金", meetingOn: "2026-11-06")
        station.now = "2026-11-20 20:00"
        let recorded = try station.ok("assembly", "record", topic, "--date", "2026-11-20", "--convened", "户代表", "--entitled", "100",
                                      "--attended", "60", "--for", "55")
        #expect(recorded.contains("须超过 66%") && recorded.contains("未达法定人数"))
        for quorum in [50, 66, 40] {
            try Self.setRule(station, "assembly_quorum_percent", quorum)
            #expect(try station.ok("stats").contains("居民会议 1 次，其中达到法定人数作出决定 0 次"), "under a quorum of \(quorum) % today")
            let shown = try station.ok("assembly", "list")
            #expect(shown.contains("未达法定人数") && shown.contains("须超过 66%"), "\(shown)")
        }
    }

    /// 化解 at one station, 未化解 at the other: the topic shows the conflict as its mediation
    /// does, no figure counts it, every side reads in Chinese, and one choice settles both.
    @Test func twoStationsOutcomesAreOneConflictSettledOnce() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let a = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        var b = try StationUnderTest(folder, "HL3-02", community: "HL3", now: "2026-11-02 09:00")
        b.author = "李强"
        try central.enroll(a.data, id: "HL3-01", community: "HL3")
        try central.enroll(b.data, id: "HL3-02", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let dispute = try a.value("topic", "topic", "raise", "--title", "楼上漏水", "--channel", "说事厅", "--category", "邻里及家庭纠纷")
        let mediation = try a.value("mediation", "mediation", "start", dispute, "--mediator", "李主任")
        try a.ok("mediation", "session", mediation, "--note", "双方陈述")
        for box in [a, b] { #expect(try sync(box.data, server.url).status == 0) }
        try a.ok("mediation", "close", mediation, "--outcome", "化解", "--agreement", "楼上一周内修复防水")
        try b.ok("mediation", "close", mediation, "--outcome", "未化解")
        for box in [a, b, a] { #expect(try sync(box.data, server.url).status == 0) }

        for box in [a, b] {
            let topic = try box.ok("topic", "show", dispute)
            #expect(topic.contains("状态：调解化解 / 调解未成（两处记录不一致，待确认）") || topic.contains("状态：调解未成 / 调解化解（两处记录不一致，待确认）"),
                    "\(topic)")
            #expect(try box.ok("mediation", "show", mediation).contains("两个站点记下的结果不同"))
            #expect(try box.ok("stats").contains("调解化解 0 件"))
            let conflicts = try box.ok("conflicts")
            #expect(conflicts.contains("“调解化解”") && conflicts.contains("“调解未成”") && !conflicts.contains("mediation-failed"), "\(conflicts)")
            #expect(conflicts.contains("这是同一次修改造成的：选定后，议题 \(dispute) 的“状态”"), "\(conflicts)")
        }
        let listed = try JSONSerialization.jsonObject(with: Data(try a.ok("conflicts", "--json").utf8)) as? [[String: Any]] ?? []
        let outcome = try #require(listed.first { ($0["record"] as? String) == "mediation/\(mediation)" && ($0["field"] as? String) == "outcome" })
        let sides = outcome["sides"] as? [[String: Any]] ?? []
        let pick = try #require(sides.firstIndex { ($0["value"] as? String) == "未化解" }) + 1
        try a.ok("record", "resolve", "mediation/\(mediation)", "outcome", "--pick", String(pick))
        for box in [a, b] { #expect(try sync(box.data, server.url).status == 0) }
        for box in [a, b] {
            #expect(try box.ok("conflicts").contains("没有") , "both settled by the one choice")
            #expect(try box.ok("topic", "show", dispute).contains("状态：调解未成"))
            #expect(try box.ok("mediation", "show", mediation).contains("结果：未化解"))
        }
    }

    @Test func theSmallerOnes() throws {
        let folder = TemporaryDirectory()
        var station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let bus = try station.value("topic", "topic", "raise", "--title", "北门外增设公交站", "--channel", "说事厅")
        let light = try station.value("topic", "topic", "raise", "--title", "东门路灯", "--channel", "说事厅")
        try station.ok("joint", "hold", "--date", "2026-11-02", "--participant", "张书记", "--confirm", bus, "--confirm", light,
                       "--public-service", bus)
        let joint = try station.ok("joint", "list")
        #expect(joint.contains("\(bus)  确定（涉及政府公共服务，须先征求街道意见）") && !joint.contains("\(light)  确定（涉及"), "\(joint)")
        #expect(try station.ok("opinion", "list").contains("还没有向街道征询过意见"))
        let asked = try station.value("opinion", "topic", "ask-street", bus, "--question", "选址是否在规划内")
        station.now = "2026-11-09 09:00"
        let waiting = try station.ok("opinion", "list", "--waiting")
        #expect(waiting.contains(asked) && waiting.contains("选址是否在规划内") && waiting.contains("已等 7 天"), "\(waiting)")

        let dispute = try station.value("topic", "topic", "raise", "--title", "楼道堆物", "--channel", "说事厅", "--category", "邻里及家庭纠纷")
        let mediation = try station.value("mediation", "mediation", "start", dispute, "--mediator", "李主任", "--participant", "律师：王律师")
        try station.ok("mediation", "session", mediation, "--note", "双方各执一词")
        try station.refused("mediation", "close", mediation, "--outcome", "转交", "--to", String(repeating: "区", count: 101),
                            mentions: ["“转交给”太长", "最多 100 个字"])
        try station.ok("mediation", "close", mediation, "--outcome", "转交", "--to", "街道人民调解委员会")
        let shown = try station.ok("mediation", "show", mediation)
        #expect(shown.contains("调解人：李主任") && shown.contains("律师：王律师") && shown.contains("双方各执一词")
                && shown.contains("结果：转交（2026-11-09）：转交街道人民调解委员会"), "\(shown)")

        // The parser's own words, in Chinese.
        let wrongs: [([String], String)] = [(["topic", "show", bus, "extra", "more"], "多余的参数“extra”“more”"),
                                            (["topic", "raise", "--title", "x", "--channel", "说事厅", "--titel", "y"], "不认识的选项 --titel")]
        for (arguments, fragment) in wrongs {
            let result = try YishiBinary.run(arguments, data: station.data)
            #expect(result.status != 0 && result.stderr.contains(fragment), "«\(result.stderr)» lacks «\(fragment)»")
            for english in ["unexpected", "argument", "Unknown", "option '"] { #expect(!result.stderr.contains(english), "English in «\(result.stderr)»") }
        }
    }
}
