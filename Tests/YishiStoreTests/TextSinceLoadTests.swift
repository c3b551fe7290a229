import Foundation
import Testing
import YishiMerge
import YishiStore
import YishiTestSupport

/// A desk's form holds the minutes for as long as a worker types; the station may sync
/// meanwhile. Saving diffs against the text as it was loaded, with the context of then:
/// what changed since survives, or stands beside the worker's words as a conflict.
@Suite struct TextSinceLoadTests {
    let folder = TemporaryDirectory()
    let wall = WallTime(milliseconds: 1_763_800_000_000)
    let record = "meeting/HL3-01-2026-H001"

    func pair(_ name: String = "first") throws -> (Replica, Replica) {
        let a = try Replica.create(at: folder.dataDirectory("\(name)/HL3-01"), replica: "HL3-01", community: "HL3")
        let b = try Replica.create(at: folder.dataDirectory("\(name)/HL3-02"), replica: "HL3-02", community: "HL3")
        let ops = try a.edit([LocalEdit(record: record, field: "minutes", change: .text("会议主题：北门。\n物业负责清运。\n孙代表监督。\n"))],
                             author: "王芳", at: wall)
        try b.receive(ops)
        return (a, b)
    }

    /// B rewrites the second sentence while A's worker has the page open.
    func meanwhile(_ a: Replica, _ b: Replica) throws {
        let state = try #require(try b.fieldState(record: record, field: "minutes"))
        var lines = state.document.sentences.map(\.text)
        let second = try #require(lines.firstIndex { $0.hasPrefix("物业") })
        lines[second] = "物业负责每日清运两次。"
        try a.receive(try b.edit([LocalEdit(record: record, field: "minutes", change: .text(lines.joined()))], author: "李强", at: wall))
    }

    @Test func aSentenceChangedSinceTheLoadSurvivesAnEditElsewhere() throws {
        let (a, b) = try pair()
        let base = TextBase(try a.fieldState(record: record, field: "minutes"), seen: try a.clock())
        try meanwhile(a, b)
        try a.edit([LocalEdit(record: record, field: "minutes", change: .textSince(base, "会议主题：北门垃圾分类。\n物业负责清运。\n孙代表监督。\n"))],
                   author: "王芳", at: wall)
        #expect(try a.fieldState(record: record, field: "minutes")?.document.text == "会议主题：北门垃圾分类。\n物业负责每日清运两次。\n孙代表监督。\n")
        #expect(try a.conflicts().isEmpty)
    }

    @Test func theSameSentenceChangedSinceTheLoadIsAConflictNotAnOverwrite() throws {
        let (a, b) = try pair()
        let base = TextBase(try a.fieldState(record: record, field: "minutes"), seen: try a.clock())
        try meanwhile(a, b)
        try a.edit([LocalEdit(record: record, field: "minutes", change: .textSince(base, "会议主题：北门。\n物业负责清运，周末也清运。\n孙代表监督。\n"))],
                   author: "王芳", at: wall)
        let conflict = try #require(try a.conflicts().first)
        #expect(Set(conflict.sides.map(\.content)) == ["物业负责每日清运两次。", "物业负责清运，周末也清运。"])
        // The same edit without the base (diffed against now) would have overwritten B's words.
        let (c, d) = try pair("second")
        try meanwhile(c, d)
        try c.edit([LocalEdit(record: record, field: "minutes", change: .text("会议主题：北门。\n物业负责清运，周末也清运。\n孙代表监督。\n"))],
                   author: "王芳", at: wall)
        #expect(try c.conflicts().isEmpty)
    }

    @Test func theBaseTravelsThroughAFormFieldUnchanged() throws {
        let (a, _) = try pair()
        let base = TextBase(try a.fieldState(record: record, field: "minutes"), seen: try a.clock())
        #expect(TextBase(encoded: base.encoded) == base)
        let tricky = TextBase(sentences: [.init(id: base.sentences[0].id, text: "带\t制表符\\和\n换行\r")], seen: base.seen)
        #expect(TextBase(encoded: tricky.encoded) == tricky)
        #expect(TextBase(encoded: "乱写") == nil)
        #expect(TextBase(encoded: "v HL3-01=1\nnot-an-id\tx") == nil)
    }
}
