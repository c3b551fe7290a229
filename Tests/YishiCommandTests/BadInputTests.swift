import Foundation
import Testing
import YishiTestSupport

/// Every kind of bad input gets a clear message that says what is wrong, exits non-zero,
/// and leaves the replica and its journal exactly as they were.
@Suite struct BadInputTests {
    static func corpus(_ name: String) -> URL {
        Bundle.module.url(forResource: "BadInput", withExtension: nil)!.appendingPathComponent(name)
    }

    /// The replica's observable state: its digest and its journal's bytes.
    static func snapshot(_ data: URL) throws -> (String, Data) {
        (try YishiBinary.ok(["digest"], data: data), try Data(contentsOf: data.appendingPathComponent("journal.jsonl")))
    }

    static func expectRefused(_ arguments: [String], data: URL, mentions: [String]) throws {
        let before = try snapshot(data)
        let result = try YishiBinary.run(arguments, data: data)
        #expect(result.status != 0, "\(arguments) should fail")
        for fragment in mentions {
            #expect(result.stderr.contains(fragment), "\(arguments): «\(result.stderr)» lacks «\(fragment)»")
        }
        #expect(!result.stderr.contains("Fatal error"))
        let after = try snapshot(data)
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
    }

    /// What a crash or a careless hand leaves at the end of the journal.
    static func appendToJournal(_ data: URL, _ text: String) throws -> URL {
        let journal = data.appendingPathComponent("journal.jsonl")
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
        return journal
    }

    @Test(arguments: [
        ("truncated.bundle", ["不完整", "应有 3 条", "没有导入任何内容"]),
        ("other-schema.bundle", ["版本 2", "升级"]),
        ("op-schema.bundle", ["第 2 行", "版本是 2"]),
        ("unknown-kind.bundle", ["第 2 行", "“counter”无法识别"]),
        ("dot-reuse.bundle", ["第 3 行", "HL3-09:1", "内容不同"]),
        ("bad-json-line.bundle", ["第 3 行", "不是完整的 JSON"]),
        ("invalid-utf8.bundle", ["第 2 行", "UTF-8"]),
        ("not-a-bundle.txt", ["不是 Yishi 导出文件"]),
    ])
    func badBundleIsRefusedWholeAndChangesNothing(_ file: String, _ mentions: [String]) throws {
        let folder = TemporaryDirectory()
        let data = try folder.station("HL3-01")
        try YishiBinary.ok(["debug", "put", "topic/1", "title", "已有记录"], data: data)
        try Self.expectRefused(["import", Self.corpus(file).path], data: data, mentions: mentions)
    }

    /// A bundle of ops no key vouches for (the corpus's, as the release before signatures
    /// wrote them) is refused whole at a station that trusts a street.
    @Test func aBundleNothingVouchesForIsRefused() throws {
        let folder = TemporaryDirectory()
        let data = try folder.trustedStations(["HL3-01"])[0]
        try Self.expectRefused(["import", Self.corpus("good.bundle").path], data: data, mentions: ["没有导出站点的封签", "整个文件都没有导入"])
    }

    /// A station that signs two different histories under one dot (a box restored from an
    /// old backup that numbered new edits again) is refused on the second: same dot, other
    /// content, though both are signed.
    @Test func anOpReusingAKnownDotWithOtherContentIsRefused() throws {
        let folder = TemporaryDirectory()
        let stations = try folder.trustedStations(["HL3-01", "HL3-02"])
        let (origin, data) = (stations[0], stations[1])
        let before = folder.path("before-edit")
        try FileManager.default.copyItem(at: origin, to: before)
        try YishiBinary.ok(["debug", "put", "topic/1", "title", "北门门禁"], data: origin)
        try YishiBinary.ok(["export", "--to", folder.path("first.bundle").path], data: origin)
        try YishiBinary.ok(["import", folder.path("first.bundle").path], data: data)
        try YishiBinary.ok(["debug", "put", "topic/1", "title", "南门门禁"], data: before)
        try YishiBinary.ok(["export", "--to", folder.path("second.bundle").path], data: before)
        try Self.expectRefused(["import", folder.path("second.bundle").path], data: data, mentions: ["HL3-01:1", "内容不同"])
    }

    @Test func aDirectoryThatIsNotADataDirectoryIsNamed() throws {
        let folder = TemporaryDirectory()
        let result = try YishiBinary.run(["digest"], data: folder.path("empty"))
        #expect(result.status == 1)
        #expect(result.stderr.contains("不是 Yishi 数据目录"))
        #expect(result.stderr.contains("yishi init"))
        let json = try YishiBinary.run(["conflicts", "--json"], data: folder.url)
        #expect(json.stdout.contains("\"error\""))
    }

    @Test func badArgumentsAreExplained() throws {
        let folder = TemporaryDirectory()
        let data = try folder.station("HL3-01")
        try Self.expectRefused(["record", "set", "topic/1", "titel", "x"], data: data, mentions: ["没有“titel”这一项", "title（标题）"])
        try Self.expectRefused(["record", "set", "topic/1", "title"], data: data, mentions: ["新的值"])
        try Self.expectRefused(["export", "--to", folder.path("x").path, "--have", "HL3-01:3"], data: data, mentions: ["--have 的格式"])
        try Self.expectRefused(["record", "status", "topic/1", "finished"], data: data, mentions: ["没有“finished”这个状态"])
        let noAuthor = try YishiBinary.run(["record", "set", "topic/1", "title", "x"], data: data, author: "")
        #expect(noAuthor.stderr.contains("--by"))
        #expect(try YishiBinary.run(["init", "--station", "站点一", "--community", "HL3"], data: folder.path("x")).stderr
            .contains("只能用英文字母"))
        #expect(try YishiBinary.run(["init", "--station", "HL3-01", "--community", "HL3"], data: data).stderr.contains("已经是"))
    }

    @Test func aCorruptJournalLineStopsWithItsLineNumberAndChangesNothing() throws {
        let folder = TemporaryDirectory()
        let data = try folder.station("HL3-01")
        try YishiBinary.ok(["debug", "put", "topic/1", "title", "一"], data: data)
        let journal = try Self.appendToJournal(data, "{\"dot\":\"HL3-01:2\",\"garbage\n")
        let bytes = try Data(contentsOf: journal)
        let result = try YishiBinary.run(["digest"], data: data)
        #expect(result.status == 1)
        #expect(result.stderr.contains("操作日志第 3 行损坏"))
        #expect(try Data(contentsOf: journal) == bytes)
        #expect(try YishiBinary.run(["rebuild"], data: data).stderr.contains("第 3 行"))
        #expect(try Data(contentsOf: journal) == bytes)
    }

    @Test func aTornLastLineIsCutAndNothingAcknowledgedIsLost() throws {
        let folder = TemporaryDirectory()
        let data = try folder.station("HL3-01")
        try YishiBinary.ok(["debug", "put", "topic/1", "title", "一"], data: data)
        let intact = try Data(contentsOf: data.appendingPathComponent("journal.jsonl"))
        let journal = try Self.appendToJournal(data, "{\"dot\":\"HL3-01:2\",\"lam")
        #expect(try YishiBinary.ok(["record", "show", "topic/1"], data: data).contains("一"))
        #expect(try Data(contentsOf: journal) == intact)
        #expect(try YishiBinary.ok(["journal", "verify"], data: data).contains("日志与副本一致"))
    }

    @Test func aJournalShorterThanTheReplicaIsRefused() throws {
        let folder = TemporaryDirectory()
        let data = try folder.station("HL3-01")
        let journal = data.appendingPathComponent("journal.jsonl")
        let empty = try Data(contentsOf: journal)
        try YishiBinary.ok(["debug", "put", "topic/1", "title", "一"], data: data)
        try empty.write(to: journal)
        let result = try YishiBinary.run(["record", "set", "topic/1", "title", "二"], data: data)
        #expect(result.stderr.contains("比副本记录的"))
        #expect(try Data(contentsOf: journal) == empty)
    }

    @Test func anEditedJournalLineIsReportedByVerify() throws {
        let folder = TemporaryDirectory()
        let data = try folder.station("HL3-01")
        try YishiBinary.ok(["debug", "put", "topic/1", "title", "北门"], data: data)
        let journal = data.appendingPathComponent("journal.jsonl")
        let text = try String(contentsOf: journal, encoding: .utf8).replacingOccurrences(of: "北门", with: "南门")
        try Data(text.utf8).write(to: journal)
        let result = try YishiBinary.run(["journal", "verify"], data: data)
        #expect(result.status == 2)
        #expect(result.stdout.contains("第 2 行的修改 HL3-01:1 与副本记录的内容不同"))
    }
}
