import Foundation
import Testing
import YishiTestSupport

/// What a new user ran into (issue 25): the committee's make-up told, not refused; a
/// refusal on the command line that names the option to type; `yishi restore` pointed at
/// the folder of backups.
@Suite struct LooseEndsTests {
    @Test func aCommitteeAdditionPastTheCommunitysRulesIsKeptAndToldOnce() throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01")
        try YishiBinary.ok(["committee", "add", "--name", "孙代表", "--category", "居民代表", "--from", "2024-01-01", "--to", "2026-12-31"], data: station)
        let second = try YishiBinary.run(["committee", "add", "--name", "王代表", "--category", "居民代表", "--from", "2024-01-01", "--to", "2030-12-31"],
                                         data: station)
        #expect(second.status == 0 && second.stdout.contains("已登记委员 王代表"))
        #expect(second.stderr.contains("提醒：") && second.stderr.contains("members_per_category") && second.stderr.contains("term_years"))
        #expect(try YishiBinary.ok(["committee", "list", "--on", "2025-06-01"], data: station).contains("王代表"))
        let json = try YishiBinary.run(["committee", "add", "--name", "冯老师", "--category", "居民代表", "--from", "2024-01-01",
                                        "--to", "2026-12-31", "--json"], data: station)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["notices"] as? [String])?.count == 1)

        // A community that seats three per 方面 says so, and is not told again.
        let rules = station.appendingPathComponent("rules.toml")
        try String(contentsOf: rules, encoding: .utf8).replacingOccurrences(of: "members_per_category = 1", with: "members_per_category = 4")
            .write(to: rules, atomically: true, encoding: .utf8)
        let fourth = try YishiBinary.run(["committee", "add", "--name", "陈阿姨", "--category", "居民代表", "--from", "2024-01-01", "--to", "2026-12-31"],
                                         data: station)
        #expect(fourth.status == 0 && fourth.stderr.isEmpty)
        // A term that ends before it starts is still refused, with nothing written.
        let before = try YishiBinary.ok(["digest"], data: station)
        let backwards = try YishiBinary.run(["committee", "add", "--name", "周大姐", "--category", "妇女代表", "--from", "2026-01-01", "--to", "2025-12-31"],
                                            data: station)
        #expect(backwards.status == 1 && backwards.stderr.contains("早于开始"))
        #expect(try YishiBinary.ok(["digest"], data: station) == before)
    }

    @Test func refusalsOnTheCommandLineNameTheOptionThatGetsPastThem() throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01")
        let topic = try YishiBinary.ok(["topic", "raise", "--title", "北门停车", "--channel", "说事厅", "--json"], data: station)
        let reference = try #require(topic.range(of: #"HL3-01-\d{4}-\d{4}"#, options: .regularExpression).map { String(topic[$0]) })
        try YishiBinary.ok(["topic", "classify", reference, "--as", "待办"], data: station)
        #expect(try YishiBinary.run(["joint", "hold", "--date", "2026-11-02", "--participant", "张书记", "--confirm", reference],
                                    data: station, now: "2026-11-02 09:00").status == 0)
        let early = try YishiBinary.run(["meeting", "schedule", "--form", "居民议事会", "--time", "2026-11-03 14:00", "--place", "说事厅",
                                         "--host", "张书记", "--topic", reference], data: station, now: "2026-11-02 09:00")
        #expect(early.status == 1 && early.stderr.contains("--urgent \"紧急原因\"") && !early.stderr.contains("一栏"))
        let owned = try YishiBinary.run(["record", "status", "topic/\(reference)", "closed"], data: station)
        #expect(owned.status == 1 && owned.stderr.contains("--repair \"原因\""))
    }

    @Test func restorePointedAtTheFolderOfBackupsListsThemOrTakesTheNewest() throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01")
        let backups = folder.path("backups")
        try YishiBinary.ok(["debug", "put", "topic/HL3-01-2026-0001", "title", "第一份之前"], data: station)
        try YishiBinary.ok(["backup", "--to", backups.path], data: station)
        usleep(1_100_000)  // backup names have one-second resolution
        try YishiBinary.ok(["debug", "put", "topic/HL3-01-2026-0002", "title", "第二份之前"], data: station)
        try YishiBinary.ok(["backup", "--to", backups.path], data: station)
        let names = try FileManager.default.contentsOfDirectory(atPath: backups.path).sorted()
        #expect(names.count == 2)

        let listed = try YishiBinary.run(["restore", backups.path], data: folder.path("new"))
        #expect(listed.status == 1)
        #expect(listed.stderr.contains("其中有 2 份备份") && listed.stderr.contains(names[1]) && listed.stderr.contains("--latest"))
        #expect(listed.stderr.contains("站点 HL3-01") && listed.stderr.contains("已逐个文件校验"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("new").path))

        // A damaged newest backup is named as such, and --latest takes the newest sound one.
        let journal = backups.appendingPathComponent(names[1]).appendingPathComponent("journal.jsonl")
        try Data("damaged\n".utf8).write(to: journal)
        let damaged = try YishiBinary.run(["restore", backups.path], data: folder.path("new"))
        #expect(damaged.stderr.contains("\(names[1])  不能用"))
        let latest = try YishiBinary.run(["restore", backups.path, "--latest"], data: folder.path("new"))
        #expect(latest.status == 0, "\(latest.stderr)")
        #expect(latest.stdout.contains(names[0]))
        #expect(try YishiBinary.ok(["topic", "list"], data: folder.path("new")).contains("第一份之前"))

        let empty = folder.path("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try YishiBinary.run(["restore", empty.path], data: folder.path("other")).stderr.contains("里面也没有备份"))
    }
}
