import Foundation
import Testing
import YishiTestSupport

/// The loop's rules where a new user found them broken: each case failed before its fix.
@Suite struct LoopRulesTests {
    static let eight = Array(StationUnderTest.tenMembers.prefix(8))

    /// Two topics at one meeting: the first reaches consensus (7 of 8), the second does
    /// not (6 of 8). Each keeps its own outcome and round.
    @Test func eachTopicAtAMeetingKeepsItsOwnOutcome() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try station.committee(Self.eight)
        let first = try station.value("topic", "topic", "raise", "--title", "北门垃圾分类", "--channel", "红马扎")
        let second = try station.value("topic", "topic", "raise", "--title", "南门停车", "--channel", "说事点")
        try station.confirm(first, second)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "社区协商会", "--time", "2026-11-06 14:30",
                                        "--place", "议事厅", "--host", "张书记", "--topic", first, "--topic", second)
        for (index, (member, _)) in Self.eight.enumerated() {
            try station.ok("meeting", "vote", meeting, "--topic", first, "--member", member, index < 7 ? "同意" : "不同意")
            try station.ok("meeting", "vote", meeting, "--topic", second, "--member", member, index < 6 ? "同意" : "弃权")
        }
        #expect(try station.ok("meeting", "close", meeting, "--topic", first).contains("达成共识"))
        #expect(try station.ok("meeting", "close", meeting, "--topic", second).contains("未达成共识"))
        let shownFirst = try station.ok("topic", "show", first)
        #expect(shownFirst.contains("，达成共识（同意 7") && !shownFirst.contains("转入下一轮"), "\(shownFirst)")
        #expect(try station.ok("topic", "show", second).contains("，未达成共识，转入下一轮协商"))
        let json = try JSONSerialization.jsonObject(with: Data(try station.ok("meeting", "show", meeting, "--json").utf8)) as? [String: Any]
        let topics = try #require(json?["topics"] as? [[String: Any]])
        #expect(topics.count == 2 && topics.allSatisfy { $0["round"] as? Int == 1 })
        #expect(topics.contains { ($0["topic"] as? String) == first && ($0["outcome"] as? String)?.hasPrefix("达成共识") == true })
    }

    /// `yishi record …` holds the loop's rules: no ballot from a non-member, no status,
    /// round or result written around its command, no record created under any station's
    /// numbers — except an administrator's repair, whose reason stays in the history.
    @Test func recordCommandsHoldTheLoopsRules() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try station.committee(Self.eight)
        let topic = try station.value("topic", "topic", "raise", "--title", "北门垃圾分类", "--channel", "红马扎")
        try station.confirm(topic)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "社区协商会", "--time", "2026-11-06 14:30",
                                        "--place", "议事厅", "--host", "张书记", "--topic", topic)
        try station.refused("record", "entry", "meeting/\(meeting)", "ballots", "路人甲", "同意", mentions: ["由 yishi meeting vote 管理", "--repair"])
        try station.refused("record", "status", "topic/\(topic)", "closed", mentions: ["由 议事流程的各个命令 管理"])
        try station.refused("record", "set", "topic/\(topic)", "round", "99", mentions: ["由 yishi meeting schedule 管理"])
        try station.refused("record", "set", "topic/HL3-02-2026-0001", "title", "抢占编号", mentions: ["不存在", "编号由本站按顺序分配"])
        try station.refused("record", "set", "topic/\(topic)", "proposerPhone", "12345", mentions: ["格式不对"])
        try station.refused("record", "status", "topic/\(topic)", "closed", "--repair", "  ", mentions: ["--repair"])
        // What people may edit freely still works on an existing record.
        try station.ok("record", "set", "topic/\(topic)", "title", "北门垃圾分类设施选址")
        try station.ok("record", "add", "meeting/\(meeting)", "participants", "物业：吴经理")
        // A repair by hand, with its reason on the record and in its history.
        try station.ok("record", "set", "topic/\(topic)", "round", "0", "--repair", "会议取消，轮次录错")
        let history = try station.ok("topic", "history", topic)
        #expect(history.contains("人工修正") && history.contains("会议取消，轮次录错"), "\(history)")
        #expect(try station.ok("record", "show", "topic/\(topic)").contains("会议取消，轮次录错"))
    }

    /// 上报事项 → 部门报到办理 → 群众评事: an escalated matter, answered by both levels,
    /// is rated by residents, closes, and counts as solved. An escalation names its department.
    @Test func anEscalatedMatterIsRatedAndCountedAsSolved() throws {
        let folder = TemporaryDirectory()
        let setting = try StationWithOffice(folder, "SX-01", community: "SX", now: "2026-03-01 09:00")
        defer { setting.stop() }
        let station = setting.station
        let topic = try station.value("topic", "topic", "raise", "--title", "高龄津贴迟迟未发", "--channel", "入户走访")
        try station.refused("escalation", "add", "--topic", topic, "--level", "街道", "--department", " ", "--reason", "社区无权核发",
                            mentions: ["承办部门"])
        let street = try station.value("escalation", "escalation", "add", "--topic", topic, "--level", "街道", "--department", "民政科",
                                       "--reason", "社区无权核发", "--deadline", "2026-03-15")
        let district = try station.value("escalation", "escalation", "add", "--topic", topic, "--level", "区", "--department", "区民政局",
                                         "--reason", "涉及区级资金", "--deadline", "2026-03-31")
        #expect(try setting.office("escalation", "respond", street, "--reported-on", "2026-03-05", "--response", "已转区民政局",
                                   at: "2026-03-05 09:00").status == 0)
        try station.refused("evaluation", "add", "--topic", topic, "--evaluator", "居民代表甲", "--rating", "满意",
                            mentions: ["区民政局未答复"], at: "2026-03-10 09:00")
        #expect(try setting.office("escalation", "respond", district, "--reported-on", "2026-03-20", "--response", "津贴已补发",
                                   at: "2026-03-20 09:00").status == 0)
        for evaluator in ["甲", "乙", "丙", "丁", "戊"] {
            try station.ok("evaluation", "add", "--topic", topic, "--evaluator", "居民代表\(evaluator)", "--rating", "满意", at: "2026-03-25 09:00")
        }
        #expect(try station.ok("evaluation", "close", "--topic", topic, at: "2026-03-25 10:00").contains("通过验收"))
        let stats = try JSONSerialization.jsonObject(with: Data(try station.ok("stats", "--json", at: "2026-03-26 09:00").utf8)) as? [String: Any]
        #expect(stats?["solved"] as? Int == 1 && stats?["raised"] as? Int == 1)
        let notice = folder.path("公示")
        try station.ok("notice", "result", topic, "--out", notice.path)
        let text = try String(contentsOf: notice.appendingPathComponent("结果公示-\(topic).md"), encoding: .utf8)
        #expect(text.contains("区民政局：") && !text.contains("区区民政局"), "\(text)")
    }

    /// Finalised minutes are closed: no action is added to them afterwards.
    @Test func finalisedMinutesTakeNoNewActions() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try station.committee(Self.eight)
        let topic = try station.value("topic", "topic", "raise", "--title", "北门垃圾分类", "--channel", "红马扎")
        try station.confirm(topic)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "社区协商会", "--time", "2026-11-06 14:30",
                                        "--place", "议事厅", "--host", "张书记", "--topic", topic)
        try station.ok("action", "add", "--topic", topic, "--meeting", meeting, "--owner", "物业", "--standard", "四组垃圾桶",
                       "--deadline", "2026-11-30", "--supervisor", "孙代表")
        try station.ok("meeting", "minutes", meeting, "--text", "会议内容：物业增设四组垃圾桶。")
        try station.ok("meeting", "finalise", meeting)
        try station.refused("action", "add", "--topic", topic, "--meeting", meeting, "--owner", "物业", mentions: ["纪要已定稿"])
        try station.refused("action", "add", "--topic", topic, "--owner", "物业", mentions: ["纪要已定稿"])
    }

    /// Every help and every mistake in writing a command is in Chinese: the parser's
    /// English frame ("USAGE:", "OPTIONS:", "Error: Missing expected argument") is gone.
    @Test func helpAndParserMessagesAreChinese() throws {
        let english = ["OPTIONS:", "USAGE:", "OVERVIEW:", "SUBCOMMANDS:", "Show help information", "See '", "Error:", "Usage:", "Help:"]
        var paths: [[String]] = [[]]
        var seen = 0
        while seen < paths.count {
            let path = paths[seen]
            seen += 1
            let help = try YishiBinary.run(path + ["--help"])
            #expect(help.status == 0, "yishi \(path) --help")
            for word in english { #expect(!help.stdout.contains(word), "yishi \(path.joined(separator: " ")) --help shows “\(word)”") }
            if let list = help.stdout.components(separatedBy: "子命令：").dropFirst().first, path.count < 2 {
                for line in list.split(separator: "\n") where line.hasPrefix("  ") && !line.hasPrefix("   ") {
                    if let name = line.split(separator: " ").first, name.allSatisfy({ $0.isLetter || $0 == "-" }), name != "用" {
                        paths.append(path + [String(name)])
                    }
                }
            }
        }
        #expect(paths.count > 40, "walked \(paths.count) commands")
        let folder = TemporaryDirectory()
        let data = try folder.station("HL3-01")
        for arguments in [["topic", "raise"], ["meeting", "vote"], ["meeting", "consult", "x", "--households", "abc", "--agree", "1"],
                          ["topic", "raise", "--title", "x", "--channel", "红马扎", "--bogus"], ["topik"]] {
            let result = try YishiBinary.run(arguments, data: data)
            #expect(result.status != 0)
            #expect(result.stderr.hasPrefix("错误："), "\(result.stderr)")
            for word in english { #expect(!result.stderr.contains(word), "yishi \(arguments): \(result.stderr)") }
        }
    }

    /// What a person types is checked once, in one place: valid UTF-8, no control
    /// characters, a length that fits the field — on every path.
    @Test func typedTextIsCheckedOnEveryPath() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try station.refused("topic", "raise", "--title", String(repeating: "长", count: 10_000), "--channel", "红马扎",
                            mentions: ["“标题”太长", "最多 100 个字"])
        try station.refused("topic", "raise", "--title", "a\u{01}b", "--channel", "红马扎", mentions: ["控制字符"])
        try station.refused("topic", "raise", "--title", "第一行\n第二行", "--channel", "红马扎", mentions: ["只能写一行"])
        // Bytes that are not UTF-8 reach the program as they are: refused, not replaced.
        let process = YishiBinary.configured([], data: station.data, author: "王芳", now: station.now)
        let script = "exec \"$0\" topic raise --title \"$(printf '\\377\\376')\" --channel 红马扎"
        process.arguments = ["-c", script, YishiBinary.url.path]
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let err = Pipe()
        process.standardError = err
        let before = try station.snapshot()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("不是有效的 UTF-8"))
        #expect(try station.snapshot() == before)
        let topic = try station.value("topic", "topic", "raise", "--title", "北门", "--channel", "红马扎")
        let gbk = folder.path("gbk.txt")
        try Data([0xB1, 0xB1, 0xC3, 0xC5]).write(to: gbk)
        try station.refused("topic", "edit", topic, "--file", gbk.path, mentions: ["不是 UTF-8"])
        try station.refused("record", "set", "topic/\(topic)", "title", String(repeating: "长", count: 600), mentions: ["太长"])
        try station.committee(Self.eight)
        try station.confirm(topic)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "社区协商会", "--time", "2026-11-06 14:30",
                                        "--place", "议事厅", "--host", "张书记", "--topic", topic)
        try station.refused("meeting", "consult", meeting, "--households", "-5", "--agree", "1", mentions: ["征求意见户数应大于 0"])
        // A notice that cannot be written says why in Chinese, and nothing else changes.
        let blocker = folder.path("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        let result = try YishiBinary.run(["notice", "meeting", meeting, "--out", blocker.path], data: station.data)
        #expect(result.status != 0 && result.stderr.contains("无法写入") && !result.stderr.contains("operation could not"), "\(result.stderr)")
    }

    /// Notices are public: a phone number written any of the ways people write one is hidden.
    @Test func noticesHidePhoneNumbersHoweverTheyAreWritten() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let forms = ["+86 139 8765 4321", "137 1234 5678", "１３６１２３４５６７８", "(0451) 8612 3456", "0086-138-1111-2222"]
        let topic = try station.value("topic", "topic", "raise", "--title", "楼道堆物", "--channel", "电话/邮箱",
                                      "--description", forms.map { "联系人电话 \($0)。" }.joined(separator: "\n"))
        try station.committee(Self.eight)
        try station.confirm(topic)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "楼门说事会", "--time", "2026-11-06 14:30",
                                        "--place", "5号楼", "--host", "李主任 13912345678", "--topic", topic)
        let out = folder.path("公示")
        try station.ok("notice", "meeting", meeting, "--out", out.path)
        try station.ok("notice", "result", topic, "--out", out.path)
        for file in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            for digits in ["87654321", "12345678", "１２３４５６７８", "86123456", "11112222", "13912345678"] {
                #expect(!text.contains(digits), "\(file) shows \(digits)")
            }
            #expect(text.contains("电话已隐去"))
        }
    }

    /// 待时机成熟时再议: a shelved topic comes back for a new round, a recorded step with a reason.
    @Test func aShelvedTopicComesBackWithAReason() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-03-01 09:00")
        try station.committee(Self.eight)
        let topic = try station.value("topic", "topic", "raise", "--title", "小区加装电梯", "--channel", "说事厅")
        try station.confirm(topic)
        let first = try station.value("meeting", "meeting", "schedule", "--form", "居民议事会", "--time", "2026-03-05 19:00",
                                      "--place", "议事厅", "--host", "张书记", "--topic", topic)
        #expect(try station.ok("meeting", "close", first, "--topic", topic, "--shelve").contains("搁置"))
        try station.refused("meeting", "schedule", "--form", "居民议事会", "--time", "2026-03-10 19:00", "--place", "议事厅",
                            "--host", "张书记", "--topic", topic, mentions: ["目前“已搁置”", "重新启动协商"])
        try station.refused("topic", "reopen", topic, "--reason", " ", mentions: ["原因"])
        try station.ok("topic", "reopen", topic, "--reason", "业委会已换届，一楼住户同意协商", at: "2026-09-01 09:00")
        let second = try station.value("meeting", "meeting", "schedule", "--form", "居民议事会", "--time", "2026-09-06 19:00",
                                       "--place", "议事厅", "--host", "张书记", "--topic", topic)
        for (member, _) in Self.eight { try station.ok("meeting", "vote", second, "--topic", topic, "--member", member, "同意") }
        #expect(try station.ok("meeting", "close", second, "--topic", topic).contains("达成共识"))
        let history = try station.ok("topic", "history", topic)
        #expect(history.contains("业委会已换届") && history.contains("重新协商"), "\(history)")
        #expect(try station.ok("topic", "show", topic).contains("第 2 轮"))
    }

    /// Small ones: a notice without participants says who takes part; `%` and `_` are
    /// searched as the characters; the benchmark explains itself instead of running.
    @Test func smallOnes() throws {
        let folder = TemporaryDirectory()
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let topic = try station.value("topic", "topic", "raise", "--title", "物业费上涨 10%", "--channel", "说事点")
        _ = try station.value("topic", "topic", "raise", "--title", "北门门禁", "--channel", "说事点")
        try station.confirm(topic)
        let meeting = try station.value("meeting", "meeting", "schedule", "--form", "社区协商会", "--time", "2026-11-06 14:30",
                                        "--place", "议事厅", "--host", "张书记", "--topic", topic)
        let notice = try station.ok("notice", "meeting", meeting)
        #expect(notice.contains("社区协商委员会全体委员"), "\(notice)")
        let percent = try station.ok("topic", "search", "%")
        #expect(percent.contains(topic) && !percent.contains("北门门禁"))
        #expect(try station.ok("topic", "search", "_").contains("没有找到"))

        let bench = YishiBinary.url.deletingLastPathComponent().appendingPathComponent("yishi-bench")
        guard FileManager.default.isExecutableFile(atPath: bench.path) else { return }
        for (arguments, status, words) in [(["--help"], Int32(0), "用法"), (["nonsense"], Int32(2), "没有“nonsense”这一部分")] {
            let process = Process()
            process.executableURL = bench
            process.arguments = arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == status && text.contains(words) && !text.contains("Local edits"), "\(text)")
        }
    }
}
