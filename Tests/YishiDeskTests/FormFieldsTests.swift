import Testing
@testable import YishiDesk

@Suite struct FormFieldsTests {
    @Test func decodesPlusPercentAndRepeatedNames() throws {
        let fields = try FormFields(encoded: "title=%E5%8C%97%E9%97%A8+%E5%9E%83%E5%9C%BE&p=a&p=b&empty=&minutes=%E7%AC%AC%E4%B8%80%E5%8F%A5%0D%0A%E7%AC%AC%E4%BA%8C%E5%8F%A5")
        #expect(fields["title"] == "北门 垃圾")
        #expect(fields.all("p") == ["a", "b"])
        #expect(fields["empty"] == nil && fields.has("empty"))
        // A textarea's CRLF becomes the LF the records keep.
        #expect(fields.raw("minutes") == "第一句\n第二句")
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(throws: DeskError.self) { try FormFields(encoded: "title=%FF%FE") }
        #expect(throws: DeskError.self) { try FormFields(bytes: [0x74, 0x3D, 0xFF]) }
    }

    @Test func queryRoundTrips() throws {
        let text = FormFields.query([("status", "协商中"), ("q", "a&b=c d"), ("empty", "")])
        let fields = try FormFields(encoded: text)
        #expect(fields["status"] == "协商中" && fields.raw("q") == "a&b=c d" && !fields.has("empty"))
    }

    @Test func formStateKeepsWhatWasTypedAndPlacesTheMessage() throws {
        let fields = try FormFields(encoded: "_csrf=x&title=%E5%8C%97&p=a&p=b")
        let state = FormState(fields, error: DeskError("不对", field: "title"))
        #expect(state.values["title"] == "北" && state.values["p"] == "a\nb" && state.values["_csrf"] == nil)
        #expect(state.errors["title"] == "不对" && state.error == nil)
        #expect(FormState(fields, error: DeskError("整体不对")).error == "整体不对")
    }

    @Test func nextStaysOnTheDesk() {
        #expect(Desk.safeNext("/topics?q=1") == "/topics?q=1")
        #expect(Desk.safeNext("//evil.example/x") == "")
        #expect(Desk.safeNext("https://evil.example/") == "")
        #expect(Desk.safeNext("/\\evil") == "")
    }

    @Test func tokensCompareByContent() {
        #expect(Desk.constantTimeEqual("abc", "abc"))
        #expect(!Desk.constantTimeEqual("abc", "abd"))
        #expect(!Desk.constantTimeEqual("abc", "ab"))
    }

    @Test func chartsEscapeLabels() {
        let svg = BarChart(title: "<t>", bars: [.init(label: "a<b>&", value: 3)]).svg
        #expect(svg.contains("a&lt;b&gt;&amp;") && !svg.contains("<b>"))
        #expect(BarChart(title: "空", bars: []).svg.contains("暂无数据"))
    }
}
