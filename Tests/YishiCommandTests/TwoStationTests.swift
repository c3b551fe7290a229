import Foundation
import Testing
import YishiTestSupport

/// Two stations edited apart, exchanged through plain files, merged: the conflict is shown
/// with both sides and resolved by a person; the replicas end equal.
@Suite struct TwoStationTests {
    @Test func editApartExchangeByFileAndResolve() throws {
        let folder = TemporaryDirectory()
        let stations = try folder.trustedStations(["HL3-01", "HL3-02"])
        let (a, b) = (stations[0], stations[1])
        let topic = "topic/HL3-01-2026-0017"
        try YishiBinary.ok(["debug", "put", topic, "title", "垃圾分类设施选址"], data: a, author: "王芳")
        try YishiBinary.ok(["record", "write", topic, "description", "--text", "北门垃圾桶满溢。\n南门缺少厨余桶。\n"], data: a, author: "王芳")
        try YishiBinary.ok(["export", "--to", folder.path("1.bundle").path], data: a)
        try YishiBinary.ok(["import", folder.path("1.bundle").path], data: b)

        try YishiBinary.ok(["record", "set", topic, "title", "垃圾分类设施位置调整"], data: a, author: "王芳")
        try YishiBinary.ok(["record", "set", topic, "title", "增设分类垃圾桶"], data: b, author: "李强")
        try YishiBinary.ok(["record", "write", topic, "description", "--text", "北门垃圾桶每天满溢。\n南门缺少厨余桶。\n"], data: a, author: "王芳")
        let bText = try YishiBinary.run(["record", "write", topic, "description", "--file", "-"], data: b, author: "李强",
                                        stdin: "北门垃圾桶满溢。\n南门缺少厨余桶，需增设两组。\n")
        #expect(bText.status == 0)

        let clockB = try YishiBinary.ok(["clock"], data: b).trimmingCharacters(in: .whitespacesAndNewlines)
        let clockA = try YishiBinary.ok(["clock"], data: a).trimmingCharacters(in: .whitespacesAndNewlines)
        try YishiBinary.ok(["export", "--to", folder.path("a.bundle").path, "--have", clockB], data: a)
        try YishiBinary.ok(["export", "--to", folder.path("b.bundle").path, "--have", clockA], data: b)
        try YishiBinary.ok(["import", folder.path("b.bundle").path], data: a)
        try YishiBinary.ok(["import", folder.path("a.bundle").path], data: b)
        let again = try YishiBinary.ok(["import", folder.path("a.bundle").path, "--json"], data: b)
        #expect(again.contains("\"applied\" : 0"))

        #expect(try YishiBinary.ok(["digest"], data: a) == YishiBinary.ok(["digest"], data: b))
        let shown = try YishiBinary.ok(["record", "show", topic], data: a)
        #expect(shown.contains("北门垃圾桶每天满溢。"))
        #expect(shown.contains("南门缺少厨余桶，需增设两组。"))
        let conflicts = try YishiBinary.ok(["conflicts"], data: a)
        #expect(conflicts.contains("共有 1 处冲突"))
        #expect(conflicts.contains("站点 HL3-01，王芳 录入"))
        #expect(conflicts.contains("站点 HL3-02，李强 录入"))

        try YishiBinary.ok(["record", "resolve", topic, "title", "--pick", "1"], data: a, author: "王芳")
        #expect(try YishiBinary.ok(["conflicts"], data: a).contains("没有冲突"))
        try YishiBinary.ok(["export", "--to", folder.path("c.bundle").path], data: a)
        try YishiBinary.ok(["import", folder.path("c.bundle").path], data: b)
        #expect(try YishiBinary.ok(["conflicts", "--json"], data: b).trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("["))
        #expect(try YishiBinary.ok(["digest"], data: a) == YishiBinary.ok(["digest"], data: b))
        #expect(try YishiBinary.ok(["journal", "verify"], data: b).contains("日志与副本一致"))
    }
}
