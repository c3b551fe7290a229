import Foundation
import Testing
import YishiTestSupport

/// The seeds' last procedures through the real binary, with the office at a real central:
/// confirming a topic with the street's opinion, the residents' assembly, a major matter
/// through 五议一备两公开, a mediated dispute; and two stations editing the new records
/// while cut off.
@Suite struct ProcedureTests {
    struct Setting {
        let folder = TemporaryDirectory()
        let central: CentralUnderTest
        let server: CentralProcess
        var station: StationUnderTest

        init(now: String = "2026-11-02 09:00") throws {
            central = try CentralUnderTest(folder.path("central"))
            station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: now)
            try central.enroll(station.data, id: "HL3-01", community: "HL3")
            server = try CentralProcess(data: central.data)
            try station.committee(Array(StationUnderTest.tenMembers.prefix(5)))
        }

        func syncStation() throws { #expect(try sync(station.data, server.url).status == 0) }

        /// The office writes at the central, as its desk does.
        func office(_ arguments: String...) throws -> YishiBinary.Result {
            try YishiBinary.run(arguments, data: central.data, author: "街道李", now: station.now)
        }
    }

    @Test func aConfirmedTopicWaitsForTheStreetsOpinionAnsweredAtTheOffice() throws {
        var setting = try Setting()
        defer { setting.server.stop() }
        let station = setting.station
        let topic = try station.value("topic", "topic", "raise", "--title", "北门外增设公交站", "--channel", "说事厅")
        let schedule = ["meeting", "schedule", "--form", "居民议事会", "--time", "2026-11-09 14:30", "--place", "议事厅", "--host", "张书记",
                        "--topic", topic]
        func scheduleRefused(_ mentions: [String]) throws {
            let before = try station.snapshot()
            let result = try YishiBinary.run(schedule, data: station.data, author: station.author, now: station.now)
            #expect(result.status == 1)
            for fragment in mentions { #expect(result.stderr.contains(fragment), "«\(result.stderr)» lacks «\(fragment)»") }
            #expect(try station.snapshot() == before)
        }
        try scheduleRefused(["还没有经两委联席会议确定为议题", "yishi joint hold"])
        try station.refused("joint", "hold", "--date", "2026-11-02", "--confirm", topic, mentions: ["请写上参加联席会议的人员"])
        try station.refused("joint", "hold", "--date", "2026-11-02", "--participant", "张书记", "--set-aside", "\(topic)=",
                            mentions: ["暂不列入，请写明原因"])
        try station.refused("joint", "hold", "--date", "2026-11-05", "--participant", "张书记", "--confirm", topic, mentions: ["还没有到"])
        try station.ok("joint", "hold", "--date", "2026-11-02", "--participant", "张书记", "--participant", "李主任",
                       "--confirm", topic, "--public-service", topic)
        try station.refused("joint", "hold", "--date", "2026-11-02", "--participant", "张书记", "--confirm", topic, mentions: ["不在待确定之列"])
        try scheduleRefused(["涉及政府公共服务", "yishi topic ask-street"])
        let opinion = try station.value("opinion", "topic", "ask-street", topic, "--question", "公交站选址是否在规划内")
        try scheduleRefused(["街道尚未答复", opinion])

        // The request reaches the office; the office's answer is written under the
        // community's origin and reaches the station on its next sync.
        try setting.syncStation()
        let refusedAnswer = try setting.office("opinion", "answer", opinion, "--answer", " ")
        #expect(refusedAnswer.status == 1 && refusedAnswer.stderr.contains("请写明街道的意见"))
        #expect(try setting.office("opinion", "answer", opinion, "--answer", "同意在北门外设站，由区交通局落实").status == 0)
        #expect(try YishiBinary.ok(["clock"], data: setting.central.data).contains("central.HL3="))
        try scheduleRefused(["街道尚未答复"])
        try setting.syncStation()
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "居民议事会", "--time", "2026-11-09 14:30", "--place", "议事厅",
                                        "--host", "张书记", "--topic", topic)
        #expect(meeting.hasSuffix("H001"))
        let shown = try station.ok("topic", "show", topic)
        #expect(shown.contains("同意在北门外设站") && shown.contains("两委联席会议：HL3-01-2026-L001"))
        try setting.syncStation()
        #expect(try setting.central.digest("HL3") == (try YishiBinary.ok(["digest", "--scope", "HL3"], data: station.data)))
    }

    @Test func anAssemblyWithoutItsQuorumDecidesNothingAndTheNextOneDecides() throws {
        let folder = TemporaryDirectory()
        var station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try station.committee(Array(StationUnderTest.tenMembers.prefix(5)))
        let topic = try station.value("topic", "topic", "raise", "--title", "使用社区公益金改造健身场地", "--channel", "说事厅")
        try station.confirm(topic)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "居民议事会", "--time", "2026-11-06 14:30",
                                        "--place", "议事厅", "--host", "张书记", "--topic", topic)
        station.now = "2026-11-06 16:00"
        try station.refused("assembly", "record", topic, "--date", "2026-11-06", "--convened", "户代表", "--entitled", "1800",
                            "--attended", "1000", "--for", "600", mentions: ["不是提交居民会议的议题"])
        try station.ok("meeting", "close", meeting, "--topic", topic, "--assembly")
        try station.refused("action", "add", "--topic", topic, "--owner", "物业", mentions: ["居民会议作出决定之前不能添加落实事项", "yishi assembly record"])

        station.now = "2026-11-20 20:00"
        try station.refused("assembly", "record", topic, "--date", "2026-11-20", "--convened", "全体居民", "--entitled", "1800",
                            "--attended", "901", "--for", "600", mentions: ["参加范围“全体居民”不在可选范围内"])
        try station.refused("assembly", "record", topic, "--date", "2026-11-20", "--convened", "户代表", "--entitled", "1800",
                            "--attended", "1900", "--for", "600", mentions: ["实到人数应在 0 到应到人数 1800 之间"])
        try station.refused("assembly", "record", topic, "--date", "2026-11-20", "--convened", "户代表", "--entitled", "1800",
                            "--attended", "901", "--for", "600", "--against", "400", mentions: ["多于实到 901 人"])
        try station.refused("assembly", "record", topic, "--date", "2026-11-05", "--convened", "户代表", "--entitled", "1800",
                            "--attended", "901", "--for", "600", mentions: ["早于提交它的议事会议"])
        // Exactly half came: no quorum. Recorded, and the topic still waits.
        let first = try station.ok("assembly", "record", topic, "--date", "2026-11-20", "--convened", "户代表", "--entitled", "1800",
                                   "--attended", "900", "--for", "900")
        #expect(first.contains("未达法定人数") && first.contains("仍待居民会议决定"))
        try station.refused("action", "add", "--topic", topic, "--owner", "物业", mentions: ["居民会议作出决定之前"])
        station.now = "2026-12-04 20:00"
        let second = try station.ok("assembly", "record", topic, "--date", "2026-12-04", "--convened", "户代表", "--entitled", "1800",
                                    "--attended", "1000", "--for", "501", "--against", "450", "--abstain", "49")
        #expect(second.contains("：通过") && second.contains("可以添加落实事项"))
        try station.ok("action", "add", "--topic", topic, "--meeting", meeting, "--owner", "物业 吴经理", "--standard", "铺设塑胶地面",
                       "--deadline", "2026-12-31", "--supervisor", "孙代表")
        let shown = try station.ok("topic", "show", topic)
        #expect(shown.contains("状态：落实中") && shown.contains("HL3-01-2026-R001") && shown.contains("HL3-01-2026-R002"))
        let stats = try station.ok("stats")
        #expect(stats.contains("居民会议 2 次，其中达到法定人数作出决定 1 次"))

        // Rejected: the topic ends, and no action can be added.
        let other = try station.value("topic", "topic", "raise", "--title", "小区大门改为刷脸", "--channel", "说事厅")
        try station.confirm(other)
        let later = try station.value("meeting", "meeting", "schedule", "--form", "居民议事会", "--time", "2026-12-08 14:30",
                                      "--place", "议事厅", "--host", "张书记", "--topic", other)
        station.now = "2026-12-08 16:00"
        try station.ok("meeting", "close", later, "--topic", other, "--assembly")
        #expect(try station.ok("assembly", "record", other, "--date", "2026-12-08", "--convened", "居民小组代表", "--entitled", "40",
                               "--attended", "30", "--for", "15", "--against", "15").contains("未通过"))
        #expect(try station.ok("topic", "show", other).contains("状态：居民会议否决"))
        try station.refused("action", "add", "--topic", other, "--owner", "物业", mentions: ["已经结束"])
    }

    @Test func aMajorMatterThroughFiveStepsFiledAcknowledgedAtTheOfficeAndMadePublicTwice() throws {
        var setting = try Setting(now: "2026-11-14 18:00")
        defer { setting.server.stop() }
        let topic = try setting.station.value("topic", "topic", "raise", "--title", "动用社区公益金修缮活动室", "--channel", "说事厅",
                                              "--description", "联系人 13812345678，住 3号楼2单元501。")
        let major = try setting.station.value("major", "major", "start", topic)
        let station = setting.station
        try station.refused("major", "step", major, "--step", "班子商议", "--date", "2026-11-10", "--people", "两委班子",
                            mentions: ["不能跳过", "党组织提议"])
        try station.refused("record", "entry", "major/\(major)", "stepDates", "党组织提议", "2026-11-10", mentions: ["--repair"])
        for (index, step) in ["党组织提议", "班子商议", "单位联议", "会议审议", "集体决议"].enumerated() {
            if index == 4 { try station.refused("major", "publish", major, "--resolution", mentions: ["须先报街道党工委备案"]) }
            try station.ok("major", "step", major, "--step", step, "--date", "2026-11-1\(index)", "--people", "参加人\(index)")
        }
        #expect(try station.ok("topic", "show", topic).contains("状态：已达成共识"))
        setting.station.now = "2026-11-15 09:00"
        try setting.station.ok("major", "file", major, "--resolution", "动用公益金 3 万元修缮活动室，12 月底前完成。")
        try setting.syncStation()
        // 集体决议 → 备案 → 两公开: not before the street has signed for the filing.
        try setting.station.refused("major", "publish", major, "--resolution", mentions: ["街道还没有签收", "集体决议 → 备案 → 两公开"])
        let waiting = try setting.station.ok("major", "show", major)
        #expect(waiting.contains("备案：2026-11-15 报街道党工委备案") && waiting.contains("街道尚未签收") && waiting.contains("会议审议  2026-11-13"),
                "\(waiting)")
        #expect(try setting.office("major", "acknowledge", major, "--on", "2026-11-16").status == 1)  // not until that day
        setting.station.now = "2026-11-16 09:00"
        #expect(try setting.office("major", "acknowledge", major).status == 0)
        #expect(try setting.office("major", "acknowledge", major).stderr.contains("已于 2026-11-16 由 街道李 签收"))
        try setting.syncStation()
        try setting.station.ok("major", "publish", major, "--resolution")
        try setting.station.refused("major", "publish", major, "--outcome", "", mentions: ["请写明实施结果"])
        setting.station.now = "2026-12-30 09:00"
        try setting.station.ok("major", "publish", major, "--outcome", "活动室已修缮完毕，经居民代表验收合格。")
        let notices = setting.folder.path("公示")
        try setting.station.ok("notice", "major", major, "--resolution", "--out", notices.path)
        try setting.station.ok("notice", "major", major, "--outcome", "--out", notices.path)
        let resolution = try String(contentsOf: notices.appendingPathComponent("决议公开-\(major).html"), encoding: .utf8)
        #expect(resolution.contains("重大事项决议公开") && resolution.contains("2026年11月16日 经街道党工委签收") && resolution.contains("集体决议"))
        let outcome = try String(contentsOf: notices.appendingPathComponent("结果公开-\(major).html"), encoding: .utf8)
        #expect(outcome.contains("经居民代表验收合格") && !outcome.contains("13812345678"))
        #expect(try setting.station.ok("major", "list").contains("两公开已完成"))
    }

    @Test func aMediatedDisputeIsResolvedRatedAndCounted() throws {
        let folder = TemporaryDirectory()
        var station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let plain = try station.value("topic", "topic", "raise", "--title", "路灯不亮", "--channel", "说事厅")
        try station.refused("mediation", "start", plain, "--mediator", "李主任", mentions: ["不是纠纷", "--dispute"])
        let dispute = try station.value("topic", "topic", "raise", "--title", "楼上漏水", "--channel", "说事厅", "--category", "邻里及家庭纠纷")
        let marked = try station.value("topic", "topic", "raise", "--title", "停车位占用争执", "--channel", "说事厅")
        try station.ok("topic", "classify", marked, "--as", "即办", "--dispute")
        let mediation = try station.value("mediation", "mediation", "start", dispute, "--mediator", "李主任",
                                          "--participant", "律师：王律师", "--participant", "人民调解员：赵大姐")
        try station.refused("mediation", "start", dispute, "--mediator", "李主任", mentions: ["还没有结果"])
        try station.refused("mediation", "close", mediation, "--outcome", "化解", "--agreement", "楼上修复", mentions: ["还没有记录任何一次调解经过"])
        station.now = "2026-11-03 10:00"
        try station.ok("mediation", "session", mediation, "--note", "双方陈述，楼上同意请人检查防水")
        station.now = "2026-11-05 10:00"
        try station.ok("mediation", "session", mediation, "--note", "检查发现防水层破损")
        try station.refused("mediation", "close", mediation, "--outcome", "化解", mentions: ["写明调解协议"])
        try station.refused("record", "set", "mediation/\(mediation)", "outcome", "化解", mentions: ["--repair"])
        try station.ok("mediation", "close", mediation, "--outcome", "化解", "--agreement", "楼上一周内修复防水，承担楼下粉刷费 800 元")
        try station.refused("mediation", "session", mediation, "--note", "又来了", mentions: ["已有结果"])
        for (who, rating) in [("楼下刘阿姨", "满意"), ("楼上张先生", "基本满意")] {
            try station.ok("evaluation", "add", "--topic", dispute, "--evaluator", who, "--rating", rating)
        }
        #expect(try station.ok("evaluation", "close", "--topic", dispute).contains("已办结"))

        let other = try station.value("mediation", "mediation", "start", marked, "--mediator", "钱网格")
        try station.ok("mediation", "session", other, "--note", "双方各执一词")
        try station.ok("mediation", "close", other, "--outcome", "转交", "--to", "街道人民调解委员会")
        #expect(try station.ok("topic", "show", marked).contains("状态：已转交"))
        let stats = try station.ok("stats")
        #expect(stats.contains("纠纷 2 件，调解化解 1 件，化解率 50.0%"), "\(stats)")
        let show = try station.ok("topic", "show", dispute)
        #expect(show.contains("调解 \(mediation)：调解人 李主任，参与：人民调解员：赵大姐、律师：王律师；化解"))
    }

    /// What is not a matter (an advertisement raised online, a duplicate) is marked 无效 with
    /// the reason: kept, closed, and out of the figures.
    @Test func aSubmissionMarkedInvalidIsKeptButLeavesTheFigures() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let advert = try station.value("topic", "topic", "raise", "--title", "专业疏通下水道，电话 13800000000", "--channel", "网络平台")
        let real = try station.value("topic", "topic", "raise", "--title", "东门路灯坏了", "--channel", "说事厅")
        #expect(try station.ok("stats").contains("收集事项 2 件"))
        try station.refused("topic", "invalid", advert, "--reason", " ", mentions: ["请写明为什么无效"])
        try station.ok("topic", "invalid", advert, "--reason", "广告")
        try station.refused("topic", "invalid", advert, "--reason", "广告", mentions: ["已经结束"])
        #expect(try station.ok("stats").contains("收集事项 1 件"))
        #expect(try station.ok("topic", "show", advert).contains("状态：无效"))
        try station.confirm(real)
        _ = try station.value("meeting", "meeting", "schedule", "--form", "居民议事会", "--time", "2026-11-06 14:30", "--place", "议事厅",
                              "--host", "张书记", "--topic", real)
        try station.refused("topic", "invalid", real, "--reason", "重复", mentions: ["已经协商或落实"])
    }

    /// The new records merge like the rest: two stations cut off, each editing; after sync,
    /// equal digests everywhere, and two outcomes of one mediation stand as a conflict.
    @Test func twoStationsEditingTheNewRecordsMergeAndShowTheRealConflict() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let a = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        var b = try StationUnderTest(folder, "HL3-02", community: "HL3", now: "2026-11-02 09:00")
        b.author = "李强"
        try central.enroll(a.data, id: "HL3-01", community: "HL3")
        try central.enroll(b.data, id: "HL3-02", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let dispute = try a.value("topic", "topic", "raise", "--title", "楼道堆物纠纷", "--channel", "说事厅", "--category", "邻里及家庭纠纷")
        let mediation = try a.value("mediation", "mediation", "start", dispute, "--mediator", "李主任")
        try a.ok("mediation", "session", mediation, "--note", "第一次调解")
        let major = try a.value("major", "major", "start", dispute)
        for box in [a, b] { #expect(try sync(box.data, server.url).status == 0) }

        // Cut off from each other: both record a session and an outcome, and a step.
        try a.ok("mediation", "session", mediation, "--note", "A 站记录：双方同意清理")
        try b.ok("mediation", "session", mediation, "--note", "B 站记录：楼上拒绝清理")
        try a.ok("mediation", "close", mediation, "--outcome", "化解", "--agreement", "三日内清理楼道")
        try b.ok("mediation", "close", mediation, "--outcome", "转交", "--to", "街道人民调解委员会")
        try a.ok("major", "step", major, "--step", "党组织提议", "--date", "2026-11-02", "--people", "社区党委")
        for box in [a, b, a] { #expect(try sync(box.data, server.url).status == 0) }

        let digest = try a.ok("digest")
        #expect(try b.ok("digest") == digest)
        #expect(try central.digest("HL3") == (try a.ok("digest", "--scope", "HL3")))
        for box in [a, b] {
            let conflicts = try box.ok("conflicts")
            #expect(conflicts.contains("mediation/\(mediation)") && conflicts.contains("化解") && conflicts.contains("转交"), "\(conflicts)")
            let shown = try box.ok("topic", "show", dispute)
            #expect(shown.contains("A 站记录：双方同意清理") && shown.contains("B 站记录：楼上拒绝清理"))
        }
    }
}
