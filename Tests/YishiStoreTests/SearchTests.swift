import Testing
import YishiMerge
import YishiStore
import YishiTestSupport

@Suite struct SearchTests {
    @Test func chineseWordsAreFoundInsideSentences() throws {
        let folder = TemporaryDirectory()
        let replica = try Replica.create(at: folder.dataDirectory("s"), replica: "S", community: "C")
        let wall = WallTime(milliseconds: 0)
        try replica.edit([
            LocalEdit(record: "topic/1", field: "description", change: .text("居民反映北门的垃圾分类设施不够用。")),
            LocalEdit(record: "topic/2", field: "title", change: .write("南门停车位不足")),
            LocalEdit(record: "topic/3", field: "title", change: .write("WiFi 信号差")),
            LocalEdit(record: "meeting/1", field: "minutes", change: .text("讨论垃圾分类。")),
        ], author: "x", at: wall)
        #expect(try replica.search("垃圾分类", type: "topic") == ["topic/1"])
        #expect(try replica.search("停车") == ["topic/2"])
        #expect(try replica.search("门") .sorted() == ["topic/1", "topic/2"])
        #expect(try replica.search("wifi") == ["topic/3"])
        #expect(try replica.search("分类垃圾").isEmpty)
        #expect(Set(try replica.search("垃圾分类")) == ["topic/1", "meeting/1"])
        // Later edits are found without any explicit re-indexing.
        try replica.edit([LocalEdit(record: "topic/2", field: "title", change: .write("南门充电桩"))], author: "x", at: wall)
        #expect(try replica.search("停车").isEmpty)
        #expect(try replica.search("充电桩") == ["topic/2"])
    }
}
