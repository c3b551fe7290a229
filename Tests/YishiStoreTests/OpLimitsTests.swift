import Testing
import YishiMerge
import YishiTrust
@testable import YishiStore

/// What one op may hold, counted in characters however many bytes they take, and the
/// characters no value may hide: the shortcuts the check takes agree with its definition.
@Suite struct OpLimitsTests {
    static func op(_ field: String, _ change: Change) -> Op {
        Op(dot: Dot(replica: ReplicaID(rawValue: "HL3-01")!, counter: 1), lamport: 1, deps: VersionVector(), scope: "HL3",
           record: "topic/HL3-01-2026-0001", field: field, change: change, author: "王芳", wallTime: WallTime(milliseconds: 0))
    }

    static func accepted(_ op: Op) -> Bool { (try? OpLimits.check(op)) != nil }

    /// Every scalar there is: skipping the category look-up for ASCII, CJK and fullwidth
    /// forms passes over none that the definition calls hidden.
    @Test func theShortcutHidesNothingTheDefinitionCatches() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let defined = OpLimits.isReordering(scalar) || (scalar.properties.generalCategory == .format && value != 0x200D)
            if OpLimits.isHidden(scalar) != defined { Issue.record("U+\(String(value, radix: 16)) judged \(!defined) hidden") }
        }
    }

    @Test func valuesAreCountedInCharactersNotBytes() {
        let chinese = String(repeating: "议", count: 10_000)  // 30,000 bytes
        #expect(Self.accepted(Self.op("title", .register(chinese))))
        #expect(!Self.accepted(Self.op("title", .register(chinese + "事"))))
        let family = String(repeating: "👨‍👩‍👧", count: 10_000)  // one character each, 18 bytes
        #expect(Self.accepted(Self.op("title", .register(family))))
        #expect(!Self.accepted(Self.op("title", .register(family + "👨‍👩‍👧"))))
        #expect(Self.accepted(Self.op("tags", .set(add: [chinese], remove: []))))
        #expect(!Self.accepted(Self.op("tags", .set(add: Array(repeating: "x", count: 1_001).enumerated().map { "\($0.offset)" }, remove: []))))
    }

    @Test func aTextOpIsCountedOverAllItsEdits() {
        let half = String(repeating: "议", count: 40_000)  // 120,000 bytes each
        #expect(Self.accepted(Self.op("description", .text([.insert(after: nil, text: half), .insert(after: nil, text: half)]))))
        let over = String(repeating: "议", count: 20_001)
        #expect(!Self.accepted(Self.op("description", .text([.insert(after: nil, text: half), .insert(after: nil, text: half),
                                                               .insert(after: nil, text: over)]))))
    }

    @Test func hiddenCharactersAreRefusedWhereTheyMislead() {
        #expect(!Self.accepted(Self.op("title", .register("北门\u{202E}垃圾"))), "a reordering one, anywhere")
        #expect(!Self.accepted(Self.op("description", .text([.insert(after: nil, text: "北门\u{2067}垃圾")]))))
        #expect(!Self.accepted(Self.op("proposerName", .register("王\u{200B}芳"))), "an invisible one in a one-line value")
        #expect(!Self.accepted(Self.op("proposerName", .register("\u{FEFF}王芳"))))
        #expect(Self.accepted(Self.op("description", .text([.insert(after: nil, text: "王\u{200B}芳")]))), "text may hold one")
        #expect(Self.accepted(Self.op("title", .register("👨‍👩‍👧 三口之家"))), "the joiner inside emoji")
    }
}
