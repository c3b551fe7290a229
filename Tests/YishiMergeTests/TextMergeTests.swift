import Testing
import YishiMerge

@Suite struct TextMergeTests {
    @Test func sentencesSplitAfterChineseTerminatorsAndKeepClosingQuotes() {
        #expect(Sentences.split("他说：“好。”大家同意！散会") == ["他说：“好。”", "大家同意！", "散会"])
        #expect(Sentences.split("第一行\n第二行\n") == ["第一行\n", "第二行\n"])
        #expect(Sentences.split("真的吗？！是的。") == ["真的吗？！", "是的。"])
    }

    @Test func graphemesAreNeverSplit() {
        let family = "👨‍👩‍👧"
        let text = "甲。\(family)乙。e\u{301}。\r\n"
        let parts = Sentences.split(text)
        #expect(parts.joined() == text)
        #expect(parts.contains("\(family)乙。"))
        #expect(parts.last == "\r\n")
    }

    @Test func aDocumentRoundTripsThroughEdits() throws {
        var state = ReplicaState(replica: ReplicaID(rawValue: "A")!)
        let versions = ["", "第一句。第二句。", "第一句。插入句。第二句。", "第二句。", "全新的内容。\n还有一行。\n"]
        for (index, version) in versions.enumerated() {
            try state.edit(record: "m/1", field: "body", scope: "s", change: .text(version), author: "a",
                           wallTime: WallTime(milliseconds: Int64(index)))
            #expect((state.field("m/1", "body")?.document.text ?? "") == version)
        }
    }

    @Test func unchangedSentencesProduceNoEdits() throws {
        var state = ReplicaState(replica: ReplicaID(rawValue: "A")!)
        try state.edit(record: "m", field: "b", scope: "s", change: .text("一。二。三。"), author: "a", wallTime: WallTime(milliseconds: 0))
        let document = state.field("m", "b")!.document
        let dot = Dot(replica: ReplicaID(rawValue: "A")!, counter: 2)
        let edits = TextDiff.edits(from: document.sentences, to: "一。二改。三。", dot: dot)
        #expect(edits == [.put(document.sentences[1].id, "二改。")])
    }

    @Test func deletionConcurrentWithRewriteKeepsTheWords() throws {
        var a = ReplicaState(replica: ReplicaID(rawValue: "A")!)
        var b = ReplicaState(replica: ReplicaID(rawValue: "B")!)
        let base = try #require(try a.edit(record: "m", field: "b", scope: "s", change: .text("甲。乙。"), author: "a", wallTime: WallTime(milliseconds: 0)))
        try b.receive(base)
        let deletion = try #require(try a.edit(record: "m", field: "b", scope: "s", change: .text("甲。"), author: "a", wallTime: WallTime(milliseconds: 1)))
        let rewrite = try #require(try b.edit(record: "m", field: "b", scope: "s", change: .text("甲。乙改。"), author: "b", wallTime: WallTime(milliseconds: 2)))
        try a.receive(rewrite)
        try b.receive(deletion)
        #expect(a.field("m", "b")?.document.text == "甲。乙改。")
        #expect(a.conflicts.count == 1)
        #expect(a.canonicalLines == b.canonicalLines)
    }

    @Test func resolvingASentenceConflictKeepingTheShownWords() throws {
        var a = ReplicaState(replica: ReplicaID(rawValue: "A")!)
        var b = ReplicaState(replica: ReplicaID(rawValue: "B")!)
        try b.receive(try #require(try a.edit(record: "m", field: "b", scope: "s", change: .text("甲。"), author: "a", wallTime: WallTime(milliseconds: 0))))
        let x = try #require(try a.edit(record: "m", field: "b", scope: "s", change: .text("甲一。"), author: "a", wallTime: WallTime(milliseconds: 1)))
        let y = try #require(try b.edit(record: "m", field: "b", scope: "s", change: .text("甲二。"), author: "b", wallTime: WallTime(milliseconds: 1)))
        try a.receive(y)
        try b.receive(x)
        let conflict = try #require(a.conflicts.first)
        let id = try #require(SegmentID(Substring(conflict.key)))
        let shown = try #require(conflict.shown?.content)
        try a.edit(record: "m", field: "b", scope: "s", change: .sentence(id, shown), author: "a", wallTime: WallTime(milliseconds: 2))
        #expect(a.conflicts.isEmpty)
    }
}
