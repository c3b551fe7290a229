import Foundation
import Testing
import YishiTestSupport

/// The 六事 loop driven through the real command line with cases from the seeds.
@Suite struct DeliberationLoopTests {
    /// 帝纱富仕城 (seed 002): garbage-sorting facilities at a 红板凳议事会 hosted by the
    /// compound party secretary; minutes say who, to what standard, by when, supervised by whom.
    @Test func garbageSortingAtARedBenchMeeting() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "DSF-01", community: "DSF", now: "2026-11-02 09:00")
        try station.committee(StationUnderTest.tenMembers)
        let topic = try station.value(
            "topic", "topic", "raise", "--title", "北门垃圾分类设施选址", "--channel", "红马扎", "--proposer", "刘阿姨",
            "--phone", "13812345678", "--description", "北门垃圾桶每天满溢。居民建议增设分类设施。")
        #expect(topic == "DSF-01-2026-0001")
        try station.ok("topic", "classify", topic, "--as", "待办", "--category", "居民公约（养犬、垃圾分类、绿化等）")
        try station.confirm(topic)
        let meeting = try station.value(
            "meeting", "meeting", "schedule", "--form", "红板凳议事会", "--time", "2026-11-06 14:30", "--place", "北门说事点",
            "--host", "小区党支部书记 张书记", "--recorder", "钱网格", "--topic", topic,
            "--participant", "党支部书记：张书记", "--participant", "物业：吴经理", "--participant", "居民代表：孙代表")
        try station.ok("meeting", "register", meeting, "3号楼 刘阿姨", at: "2026-11-04 10:00")
        for member in ["张书记", "李主任", "赵监督", "钱网格", "孙代表", "周大姐", "吴经理", "郑师傅"] {
            try station.ok("meeting", "vote", meeting, "--topic", topic, "--member", member, "同意", at: "2026-11-06 15:00")
        }
        #expect(try station.ok("meeting", "close", meeting, "--topic", topic, at: "2026-11-06 16:00").contains("达成共识"))
        let action = try station.value(
            "action", "action", "add", "--topic", topic, "--meeting", meeting, "--owner", "物业 吴经理",
            "--standard", "北门增设四组分类垃圾桶，每日清运两次")
        try station.ok("meeting", "minutes", meeting, "--text", "会议主题：垃圾分类设施选址。\n会议内容：物业负责增设四组分类垃圾桶。\n")
        try station.refused("meeting", "finalise", meeting, mentions: ["缺少：什么时间干完、谁来监督"])
        try station.ok("action", "update", action, "--deadline", "2026-11-30", "--supervisor", "居民代表 孙代表")
        try station.ok("meeting", "finalise", meeting)
        try station.refused("meeting", "minutes", meeting, "--text", "改一下", mentions: ["已定稿"])

        let shown = try station.ok("topic", "show", topic)
        #expect(shown.contains("物业 吴经理负责，北门增设四组分类垃圾桶，每日清运两次，2026-11-30前完成，居民代表 孙代表监督"))
        #expect(shown.contains("状态：落实中"))
        #expect(try station.ok("topic", "search", "垃圾分类").contains(topic))
        #expect(try station.ok("action", "list", "--overdue", at: "2026-12-05 09:00").contains("已超期 5 天"))
    }

    /// Old-compound parking (seed 004): seven parties, several rounds before agreement.
    @Test func oldCompoundParkingOverSeveralRounds() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "LY-01", community: "LY", now: "2026-10-01 09:00")
        try station.committee(StationUnderTest.tenMembers)
        let topic = try station.value("topic", "topic", "raise", "--title", "老旧小区停车难", "--channel", "入户走访")
        let parties = ["物业：吴经理", "园林：绿化队", "市政：市政所", "党员代表：老党员", "楼栋长：各楼栋长", "有车户：车主代表", "无车户：居民代表"]
        let rounds = [("2026-10-05 19:00", 5), ("2026-10-12 19:00", 7), ("2026-10-19 19:00", 9)]
        var outcomes: [String] = []
        try station.confirm(topic)
        for (index, (time, agreeing)) in rounds.enumerated() {
            let scheduledAt = index == 0 ? "2026-10-01 09:00" : String(rounds[index - 1].0.prefix(10)) + " 21:00"
            var arguments = ["meeting", "schedule", "--form", "社区四方会议", "--time", time, "--place", "社区议事厅", "--host", "张书记",
                             "--topic", topic, "--json"]
            for party in parties { arguments += ["--participant", party] }
            let result = try YishiBinary.run(arguments, data: station.data, author: station.author, now: scheduledAt)
            #expect(result.status == 0, "\(result.stderr)")
            let meeting = try #require((try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String])?["meeting"])
            for (member, _) in StationUnderTest.tenMembers.prefix(agreeing) {
                try station.ok("meeting", "vote", meeting, "--topic", topic, "--member", member, "同意", at: time)
            }
            for (member, _) in StationUnderTest.tenMembers.dropFirst(agreeing) {
                try station.ok("meeting", "vote", meeting, "--topic", topic, "--member", member, "不同意", at: time)
            }
            outcomes.append(try station.ok("meeting", "close", meeting, "--topic", topic, at: time))
        }
        #expect(outcomes[0].contains("未达成共识") && outcomes[1].contains("同意 7") && outcomes[1].contains("未通过"))
        #expect(outcomes[2].contains("达成共识") && outcomes[2].contains("同意 9"))
        let shown = try station.ok("topic", "show", topic)
        #expect(shown.contains("协商轮次：第 3 轮"))
        #expect(shown.contains("状态：已达成共识"))
        #expect(try station.ok("meeting", "show", "LY-01-2026-H001").contains("园林：绿化队"))
    }

    /// 新东方小区 north gate (seed 002): 1,800 households consulted door to door, 1,760 agreed.
    @Test func northGateHouseholdConsultation() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "XDF-01", community: "XDF", now: "2026-09-01 09:00")
        try station.committee(StationUnderTest.tenMembers)
        let topic = try station.value("topic", "topic", "raise", "--title", "新东方小区北门改造", "--channel", "入户走访")
        try station.confirm(topic)
        let meeting = try station.value(
            "meeting", "meeting", "schedule", "--form", "小区协商会", "--time", "2026-09-10 10:00", "--place", "北门",
            "--host", "张书记", "--topic", topic, "--participant", "业委会：主任")
        try station.ok("meeting", "consult", meeting, "--households", "1800", "--agree", "1760")
        try station.refused("meeting", "consult", meeting, "--households", "1800", "--agree", "1900", mentions: ["同意户数应在 0 到 1800 之间"])
        for (member, _) in StationUnderTest.tenMembers {
            try station.ok("meeting", "vote", meeting, "--topic", topic, "--member", member, "同意", at: "2026-09-10 11:00")
        }
        try station.ok("meeting", "close", meeting, "--topic", topic, at: "2026-09-10 11:30")
        #expect(try station.ok("meeting", "show", meeting).contains("征求意见 1800 户，同意 1760 户（97.8%）"))
        #expect(try station.ok("notice", "meeting", meeting).contains("征求意见 1800 户，同意 1760 户"))
    }

    /// An evaluation below the threshold goes to rectification and a re-inspection round;
    /// the topic closes only on a satisfied round.
    @Test func lowSatisfactionGoesThroughRectificationAndReinspection() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "KJ-01", community: "KJ", now: "2026-06-01 09:00")
        try station.committee(StationUnderTest.tenMembers)
        let topic = try station.value("topic", "topic", "raise", "--title", "楼道照明维修", "--channel", "微信群",
                                      "--proposer", "陈大爷")
        try station.confirm(topic)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "楼门说事会", "--time", "2026-06-05 18:00",
                                        "--place", "5号楼", "--host", "李主任", "--topic", topic)
        for (member, _) in StationUnderTest.tenMembers {
            try station.ok("meeting", "vote", meeting, "--topic", topic, "--member", member, "同意", at: "2026-06-05 19:00")
        }
        try station.ok("meeting", "close", meeting, "--topic", topic, at: "2026-06-05 19:30")
        let action = try station.value("action", "action", "add", "--topic", topic, "--meeting", meeting, "--owner", "物业",
                                       "--standard", "每层感应灯可用", "--deadline", "2026-06-20", "--supervisor", "楼栋长")
        try station.refused("evaluation", "add", "--topic", topic, "--evaluator", "居民代表甲", "--rating", "满意",
                            mentions: ["还没有落实完毕", action])
        try station.ok("action", "update", action, "--status", "已完成", "--note", "已更换 12 盏灯", at: "2026-06-18 10:00")
        for (who, rating) in [("甲", "满意"), ("乙", "不满意"), ("丙", "不满意"), ("丁", "基本满意"), ("戊", "不满意")] {
            try station.ok("evaluation", "add", "--topic", topic, "--evaluator", "居民代表\(who)", "--rating", rating, at: "2026-06-21 10:00")
        }
        #expect(try station.ok("evaluation", "close", "--topic", topic, at: "2026-06-21 12:00").contains("进入整改"))
        #expect(try station.ok("topic", "show", topic).contains("状态：整改中"))
        // Re-inspection waits for the rectification on record, with its four elements, done.
        try station.refused("evaluation", "add", "--topic", topic, "--evaluator", "居民代表甲", "--rating", "满意",
                            mentions: ["请先记录整改"], at: "2026-06-22 10:00")
        try station.refused("evaluation", "rectify", "--topic", topic, "--owner", "物业", "--standard", "楼梯间也装感应灯",
                            mentions: ["什么时间干完"], at: "2026-06-22 10:00")
        let rectification = try station.value("action", "evaluation", "rectify", "--topic", topic, "--owner", "物业",
                                               "--standard", "楼梯间也装感应灯", "--deadline", "2026-06-28", "--supervisor", "楼栋长")
        try station.refused("evaluation", "add", "--topic", topic, "--evaluator", "居民代表甲", "--rating", "满意",
                            mentions: ["还没有完成"], at: "2026-06-23 10:00")
        try station.ok("action", "update", rectification, "--status", "已完成", "--note", "楼梯间已装", at: "2026-06-27 10:00")
        for (who, rating) in [("甲", "满意"), ("乙", "满意"), ("丙", "基本满意"), ("丁", "满意"), ("戊", "不满意")] {
            try station.ok("evaluation", "add", "--topic", topic, "--evaluator", "居民代表\(who)", "--rating", rating, at: "2026-07-01 10:00")
        }
        #expect(try station.ok("evaluation", "close", "--topic", topic, at: "2026-07-01 12:00").contains("通过验收"))
        let stats = try station.ok("stats", at: "2026-07-02 09:00")
        #expect(stats.contains("第 1 轮：满意 1、基本满意 1、不满意 3，满意率 40.0%"))
        #expect(stats.contains("第 2 轮：满意 3、基本满意 1、不满意 1，满意率 80.0%"))
        #expect(stats.contains("解决率 100.0%"))
        let notice = try station.ok("notice", "result", topic, at: "2026-07-02 09:00")
        #expect(notice.contains("第 2 轮（再次验收）"))
    }

    /// The same topic edited at two stations at once: edits to different parts merge, the
    /// same field edited twice shows as a conflict with both sides, and the digests agree.
    @Test func sameTopicEditedAtTwoStations() throws {
        let folder = TemporaryDirectory()
        let stations = try folder.trustedStations(["HL3-01", "HL3-02"])
        var a = StationUnderTest(data: stations[0], now: "2026-11-02 09:00")
        var b = StationUnderTest(data: stations[1], now: "2026-11-02 09:00")
        b.author = "李强"
        let topic = try a.value("topic", "topic", "raise", "--title", "北门门禁", "--channel", "说事点",
                                "--description", "门禁经常失灵。\n外来车辆随意进出。\n")
        try a.ok("export", "--to", folder.path("1").path)
        try b.ok("import", folder.path("1").path)
        a.now = "2026-11-03 09:00"
        try a.ok("topic", "edit", topic, "--title", "北门门禁改造", "--description", "门禁经常失灵，需更换。\n外来车辆随意进出。\n")
        try b.ok("topic", "edit", topic, "--title", "更换北门门禁", "--description", "门禁经常失灵。\n外来车辆随意进出，夜间尤甚。\n")
        try b.ok("topic", "classify", topic, "--as", "待办")
        try a.ok("export", "--to", folder.path("a").path)
        try b.ok("export", "--to", folder.path("b").path)
        try a.ok("import", folder.path("b").path)
        try b.ok("import", folder.path("a").path)
        #expect(try a.ok("digest") == b.ok("digest"))
        let shown = try a.ok("topic", "show", topic)
        #expect(shown.contains("门禁经常失灵，需更换。") && shown.contains("外来车辆随意进出，夜间尤甚。"))
        #expect(shown.contains("办理类别：待办"))
        let conflicts = try a.ok("conflicts")
        #expect(conflicts.contains("“北门门禁改造” — 站点 HL3-01，王芳") && conflicts.contains("“更换北门门禁” — 站点 HL3-02，李强"))
        let history = try a.ok("topic", "history", topic)
        #expect(history.contains("站点 HL3-02  李强  标题：改为“更换北门门禁”"))
    }

    /// 勝興社區 elderly allowance (seed 002): beyond the community, so escalated; overdue
    /// until the department reports in; its answer goes on the result notice.
    @Test func escalationUntilTheDepartmentReportsIn() throws {
        let folder = TemporaryDirectory()
        let setting = try StationWithOffice(folder, "SX-01", community: "SX", now: "2026-03-01 09:00")
        defer { setting.stop() }
        let station = setting.station
        let topic = try station.value("topic", "topic", "raise", "--title", "高龄老人津贴发放延迟", "--channel", "入户走访")
        try station.refused("escalation", "add", "--topic", topic, "--level", "市", "--department", "民政局", "--reason", "x",
                            mentions: ["上报层级“市”不在可选范围内"])
        let escalation = try station.value("escalation", "escalation", "add", "--topic", topic, "--level", "区",
                                           "--department", "民政局", "--reason", "津贴由区里核发，社区无权处理", "--deadline", "2026-03-15")
        #expect(try station.ok("topic", "show", topic).contains("状态：已上报"))
        let late = try station.ok("stats", at: "2026-03-20 09:00")
        #expect(late.contains("\(escalation)  上报件：区民政局未报到  时限 2026-03-15，已超 5 天"))
        // The department's answer is the street's to record: refused at the station, taken at the office.
        try station.refused("escalation", "respond", escalation, "--reported-on", "2026-03-18", "--response", "已补发三个月津贴",
                            mentions: ["只能由街道录入", "街道工作台"], at: "2026-03-20 09:00")
        let early = try setting.office("escalation", "respond", escalation, "--reported-on", "2026-02-01", "--response", "x")
        #expect(early.status != 0 && early.stderr.contains("早于上报日期"), "\(early.stderr)")
        #expect(try setting.office("escalation", "respond", escalation, "--reported-on", "2026-03-18", "--response", "已补发三个月津贴",
                                   at: "2026-03-20 09:00").status == 0)
        #expect(try station.ok("stats", at: "2026-03-20 09:00").contains("超期事项 0 件"))
        #expect(try station.ok("notice", "result", topic, at: "2026-03-20 09:00").contains("已于 2026年3月18日 报到，答复：已补发三个月津贴"))
    }

    /// Bad input gets a clear error and changes nothing.
    @Test func badInputIsRefusedAndChangesNothing() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try station.committee(Array(StationUnderTest.tenMembers.prefix(3)))
        let topic = try station.value("topic", "topic", "raise", "--title", "南门停车", "--channel", "说事厅")
        try station.confirm(topic)
        try station.refused("meeting", "schedule", "--form", "居民议事会", "--time", "2026-02-30 10:00", "--place", "议事厅",
                            "--host", "张书记", "--topic", topic, mentions: ["会议时间", "不是有效时间"])
        try station.refused("meeting", "schedule", "--form", "居民议事会", "--time", "2026-11-03 10:00", "--place", "议事厅",
                            "--host", "张书记", "--topic", topic, mentions: ["须提前 3 天公示", "紧急原因"])
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "居民议事会", "--time", "2026-11-03 10:00",
                                        "--place", "议事厅", "--host", "张书记", "--topic", topic, "--urgent", "暴雨后地库进水，需当天议定")
        #expect(try station.ok("notice", "meeting", meeting).contains("暴雨后地库进水"))
        try station.refused("action", "add", "--topic", topic, "--meeting", meeting, "--deadline", "2026-11-01",
                            mentions: ["早于会议日期 2026-11-03"])
        try station.refused("meeting", "vote", meeting, "--topic", topic, "--member", "不认识的人", "同意",
                            mentions: ["不是协商委员会委员", "张书记"])
        try station.refused("meeting", "vote", meeting, "--topic", topic, "--member", "张书记", "支持", mentions: ["同意、不同意、弃权"])
        try station.refused("evaluation", "add", "--topic", topic, "--evaluator", "代表", "--rating", "满意", mentions: ["不能评议"])
        try station.refused("topic", "show", "HL3-01-2026-9999", mentions: ["找不到议题"])
        try station.refused("meeting", "vote", "HL3-01-2026-H999", "--topic", topic, "--member", "张书记", "同意", mentions: ["找不到会议"])
        try station.refused("topic", "raise", "--title", "x", "--channel", "抖音", mentions: ["渠道“抖音”不在可选范围内"])
        try station.refused("topic", "raise", "--title", "x", "--channel", "说事厅", "--phone", "12345", mentions: ["电话号码“12345”格式不对"])
        try station.refused("committee", "add", "--name", "甲", "--category", "居民代表", "--from", "2026-13-01", "--to", "2026-12-31",
                            mentions: ["任期开始“2026-13-01”不是有效日期"])
        try station.refused("meeting", "register", meeting, "迟到者", mentions: ["公示期已过"], at: "2026-11-03 11:00")
    }

    /// Notices are for the bulletin board: no phone numbers, no anonymous proposer's name.
    @Test func noticesRedactPersonalDataAndPrintOnA4() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let topic = try station.value("topic", "topic", "raise", "--title", "楼下噪音", "--channel", "电话/邮箱", "--proposer", "秘密先生",
                                      "--anonymous", "--phone", "0451-86123456",
                                      "--description", "秘密先生反映夜间噪音，回电 13987654321。")
        try station.confirm(topic)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "恳谈会", "--time", "2026-11-06 19:00",
                                        "--place", "社区活动室", "--host", "李主任", "--topic", topic,
                                        "--participant", "居民：秘密先生")
        let out = folder.path("notices")
        try station.ok("notice", "meeting", meeting, "--out", out.path)
        try station.ok("notice", "result", topic, "--out", out.path)
        for name in ["会议公示-\(meeting)", "结果公示-\(topic)"] {
            for suffix in [".html", ".md"] {
                let text = try String(contentsOf: out.appendingPathComponent(name + suffix), encoding: .utf8)
                #expect(!text.contains("13987654321") && !text.contains("86123456") && !text.contains("秘密先生"), "\(name)\(suffix)")
                #expect(text.contains("（电话已隐去）") || text.contains("匿名居民"))
            }
        }
        let html = try String(contentsOf: out.appendingPathComponent("会议公示-\(meeting).html"), encoding: .utf8)
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("<h1>协商会议公示</h1>"))
    }
}
