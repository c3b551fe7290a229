import Foundation
import PropertyBased
import Testing
@testable import YishiMerge

@Suite struct OpCodecTests {
    static let replica = ReplicaID(rawValue: "HL3-01")!

    static func op(_ change: Change) -> Op {
        Op(dot: Dot(replica: replica, counter: 3), lamport: 9,
           deps: VersionVector([replica: 2, ReplicaID(rawValue: "central")!: 5]), scope: "HL3",
           record: "topic/1", field: "f", change: change, author: "王芳\t\"引号\"", wallTime: WallTime(milliseconds: 1_763_800_000_123))
    }

    @Test(arguments: [
        Change.register("北门\n门禁"), .register(nil), .set(add: ["甲"], remove: ["乙"]),
        .entry(key: "m1", value: "同意"), .entry(key: "m1", value: nil), .status(StatusValue(name: "consensus", rank: 3, branch: "decided")),
        .text([.insert(after: nil, text: "一。"), .insert(after: SegmentID(dot: Dot(replica: replica, counter: 3), index: 0), text: "二。"),
               .put(SegmentID(dot: Dot(replica: replica, counter: 1), index: 0), nil)]),
    ])
    func encodingRoundTripsExactly(_ change: Change) throws {
        let original = Self.op(change)
        let line = OpCodec.encode(original)
        let decoded = try OpCodec.decode(Array(line.utf8))
        #expect(decoded == original)
        #expect(OpCodec.encode(decoded) == line)
        #expect(!line.contains("\n"))
    }

    @Test func wallTimeFormatIsFixedAndValidated() {
        #expect(WallTime(milliseconds: 0).description == "1970-01-01T00:00:00.000Z")
        #expect(WallTime(parsing: "2026-02-30T00:00:00.000Z") == nil)
        #expect(WallTime(parsing: "2024-02-29T23:59:59.999Z")?.description == "2024-02-29T23:59:59.999Z")
        #expect(WallTime(milliseconds: -1).description == "1969-12-31T23:59:59.999Z")
    }

    /// The parser checks days against the calendar's month lengths: a date is taken
    /// exactly when the day count it makes spells the same date again. Two whole cycles of
    /// the leap-year rules (400 years each) and the last years the form can spell.
    @Test func everyDateIsJudgedByTheCalendar() {
        var misjudged: [String] = []
        for year in Array(Int64(0)...800) + Array(Int64(9600)...9999) {
            for month in Int64(1)...12 {
                for day in Int64(28)...31 {
                    let spelled = WallTime.civil(fromDays: WallTime.days(fromCivil: year, month, day)) == (year, month, day)
                    let text = String(format: "%04d-%02d-%02dT12:00:00.000Z", year, month, day)
                    if (WallTime(parsing: text) != nil) != spelled { misjudged.append(text) }
                }
            }
        }
        #expect(misjudged.isEmpty)
    }

    @Test(arguments: [
        ("{\"dot\":\"A:1\"", "JSON"),
        ("[1,2]", "JSON"),
        (#"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":2,"kind":"register","value":"x"}"#, "版本"),
        (#"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"counter","value":"x"}"#, "counter"),
        (#"{"dot":"A:1","lamport":1,"deps":{"A":1},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x"}"#, "deps"),
        (#"{"dot":"A:2","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"text","edits":[{"put":"B:1:0","text":"x"}]}"#, "edits"),
        (#"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x","extra":1}"#, "extra"),
    ])
    func badLinesAreRefusedWithAReason(_ line: String, _ mention: String) {
        #expect {
            try OpCodec.decode(Array(line.utf8))
        } throws: { error in
            "\(error)".contains(mention)
        }
    }

    @Test func encodedWallTimeMatchesItsDescriptionAndRoundTrips() async throws {
        await propertyCheck(count: 2000, input: Gen.int64(in: -62_135_596_800_000...253_402_300_799_999)) { millis in
            var op = Self.op(.register("x"))
            op.wallTime = WallTime(milliseconds: millis)
            let line = OpCodec.encode(op)
            #expect(line.contains("\"wall\":\"\(op.wallTime)\""))
            let decoded = try OpCodec.decode(Array(line.utf8))
            #expect(decoded.wallTime == op.wallTime)
        }
    }

    @Test func textNeedingEscapesRoundTrips() throws {
        let tricky = "引号\"反斜杠\\换行\n制表\t\u{0}\u{1F}“中文引号”…\u{2028}\u{2029}"
        let op = Self.op(.text([.insert(after: nil, text: tricky)]))
        let line = OpCodec.encode(op)
        #expect(!line.contains("\u{2028}"))
        let decoded = try OpCodec.decode(Array(line.utf8))
        #expect(decoded == op)
    }

    @Test func invalidUTF8IsNamed() {
        var bytes = Array(#"{"dot":"A:1"}"#.utf8)
        bytes.insert(0xFF, at: 3)
        #expect {
            try OpCodec.decode(bytes)
        } throws: { error in
            "\(error)".contains("UTF-8")
        }
    }
}
