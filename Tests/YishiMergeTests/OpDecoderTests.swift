import Foundation
import PropertyBased
import Testing
@testable import YishiMerge
import YishiTestSupport

/// The byte decoder against the canonical encoder and against the Foundation decoder it
/// replaced: the same ops, and the same refusal with the same reason, for every line.
@Suite struct OpDecoderTests {
    /// Every op of a random run of replicas (all five field kinds, texts with several
    /// edits, wild wall clocks): encode then decode gives it back, byte for byte. The
    /// canonical reading alone takes every such line (escapes, Chinese, emoji, every kind):
    /// were it to give up on some, they would only be slower, and no other check would notice.
    @Test func everyRandomOpRoundTrips() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...Int(UInt32.max))) { seed in
            for op in try Self.ops(seed: UInt64(seed)) {
                let line = OpCodec.encodedBytes(op)
                let decoded = try OpCodec.decode(line)
                #expect(decoded == op)
                #expect(OpCodec.encodedBytes(decoded) == line)
                #expect(line.withUnsafeBufferPointer(CanonicalLine.op) == op, "\(String(decoding: line, as: UTF8.self))")
            }
        }
    }

    /// Random damage to real lines — a byte dropped, changed or added, a span repeated,
    /// white space — is accepted or refused exactly as the old decoder did, with its reason.
    /// The canonical reading alone gives up on such a line or reads what the old decoder
    /// reads: it never has a verdict of its own.
    @Test func damagedLinesAreJudgedAsBefore() async throws {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(UInt32.max))) { seed in
            var rng = SplitMix(seed: UInt64(seed))
            for op in try Self.ops(seed: UInt64(seed)).prefix(40) {
                var line = OpCodec.encodedBytes(op)
                for _ in 0..<Int.random(in: 1...3, using: &rng) { Self.damage(&line, using: &rng) }
                Self.expectSameJudgement(line)
                if let read = line.withUnsafeBufferPointer(CanonicalLine.op) {
                    #expect(read == (try? ReferenceOpDecoder.decode(line)), "\(String(decoding: line, as: UTF8.self))")
                }
            }
        }
    }

    /// The same op written another way — keys in another order, spaces, escapes where
    /// none are needed — is the same op.
    @Test func anyJSONSpellingOfAnOpIsTheSameOp() async throws {
        await propertyCheck(count: 20, input: Gen.int(in: 0...Int(UInt32.max))) { seed in
            for op in try Self.ops(seed: UInt64(seed)).prefix(30) {
                let object = try JSONSerialization.jsonObject(with: Data(OpCodec.encodedBytes(op)))
                let respelled = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
                let pretty = Array(String(decoding: respelled, as: UTF8.self).replacingOccurrences(of: "\n", with: " ").utf8)
                #expect(try OpCodec.decode(pretty) == op)
                let escaped = Array(String(decoding: OpCodec.encodedBytes(op), as: UTF8.self)
                    .replacingOccurrences(of: "\"scope\"", with: "\"\\u0073cope\"").replacingOccurrences(of: "/", with: "\\/").utf8)
                #expect(try OpCodec.decode(escaped) == op)
            }
        }
    }

    @Test(arguments: [
        #"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x"} x"#,
        #"{"dot":"A:1","lamport":01,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x"}"#,
        #"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"\x"}"#,
        #"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"\ud800"}"#,
        #"{"dot":"A:1","lamport":1.5,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x"}"#,
        #"{"dot":"A:1","lamport":2e0,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x"}"#,
        #"{"dot":"A:1","lamport":true,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x"}"#,
        #"{"dot":"A:1","lamport":99999999999999999999,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x"}"#,
        #"{"dot":"A:1","lamport":1,"deps":[],"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"set","add":["x",1],"remove":[]}"#,
        #"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"text","edits":[{"insert":"^","text":"一","x":1}]}"#,
        #"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"text","edits":["x"]}"#,
        #"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"\ud83d\ude00"}"#,
        #"{"dot":"A:1","lamport":1,"lamport":2,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x"}"#,
        #"{"dot":"A:1","lamport":1,"deps":{"B":1,},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"set","add":["x",],"remove":[],}"#,
        #"{"dot":"A:1","lamport":1,"deps":{,},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"set","add":[,],"remove":[]}"#,
        #"{"dot":"A:1","lamport":1,"deps":{},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"set","add":["x",,],"remove":[]}"#,
        "", " ", "null", "{,}", "[,]", "{}", "{\"schema\":1}", "[]",
    ])
    func edgeCasesAreJudgedAsBefore(_ line: String) {
        Self.expectSameJudgement(Array(line.utf8))
    }

    /// Canonically spelled lines that break one rule each, so that the canonical reading
    /// (which takes them first) must refuse each as the old decoder does.
    @Test(arguments: [
        ("\"scope\":\"s\"", "\"scope\":\"\""), ("\"record\":\"r\"", "\"record\":\"\""), ("\"field\":\"f\"", "\"field\":\"\""),
        ("\"dot\":\"A:5\"", "\"dot\":\"A:0\""), ("\"dot\":\"A:5\"", "\"dot\":\"A:+5\""), ("\"dot\":\"A:5\"", "\"dot\":\"A:05\""),
        ("\"dot\":\"A:5\"", "\"dot\":\"A b:5\""), ("\"dot\":\"A:5\"", "\"dot\":\"A:B:5\""),
        ("\"lamport\":7", "\"lamport\":0"), ("\"lamport\":7", "\"lamport\":9223372036854775808"),
        ("\"deps\":{\"A\":4,\"B\":2}", "\"deps\":{\"A\":5,\"B\":2}"), ("\"deps\":{\"A\":4,\"B\":2}", "\"deps\":{\"B\":2,\"A\":4}"),
        ("\"deps\":{\"A\":4,\"B\":2}", "\"deps\":{\"B\":2,\"B\":3}"), ("\"deps\":{\"A\":4,\"B\":2}", "\"deps\":{\"A\":4,\"B\":0}"),
        ("\"deps\":{\"A\":4,\"B\":2}", "\"deps\":{\"A\":4,\"B\":-2}"), ("\"deps\":{\"A\":4,\"B\":2}", "\"deps\":{}"),
        ("\"wall\":\"2026-01-01T00:00:00.000Z\"", "\"wall\":\"2026-02-30T00:00:00.000Z\""), ("\"schema\":1", "\"schema\":2"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"register\",\"value\":7"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"registers\",\"value\":\"x\""),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"entry\",\"key\":\"\",\"value\":\"x\""),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"entry\",\"key\":\"m\",\"value\":null"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"status\",\"value\":\"\",\"rank\":2,\"branch\":\"\""),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"status\",\"value\":\"s\",\"rank\":-2,\"branch\":\"b\""),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"status\",\"value\":\"s\",\"rank\":-0,\"branch\":\"b\""),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"set\",\"add\":[],\"remove\":[]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"set\",\"add\":[\"x\",\"x\"],\"remove\":[]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"set\",\"add\":[\"x\"],\"remove\":[\"x\"]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"set\",\"add\":[],\"remove\":[\"y\",\"y\"]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"set\",\"add\":[\"x\",\"y\"],\"remove\":[\"z\"]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"text\",\"edits\":[]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"text\",\"edits\":[{\"insert\":\"^\",\"text\":\"一\"},{\"insert\":\"A:5:0\",\"text\":\"二\"}]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"text\",\"edits\":[{\"insert\":\"A:5:0\",\"text\":\"一\"}]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"text\",\"edits\":[{\"put\":\"B:2:0\",\"text\":null}]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"text\",\"edits\":[{\"put\":\"B:3:0\",\"text\":null}]"),
        ("\"kind\":\"register\",\"value\":\"x\"", "\"kind\":\"text\",\"edits\":[{\"insert\":\"^\",\"text\":null}]"),
        ("\"value\":\"x\"", "\"value\":\"a\\nb\""), ("\"value\":\"x\"", "\"value\":\"a\\qb\""), ("\"value\":\"x\"", "\"value\":\"a\tb\""),
        ("\"value\":\"x\"", "\"value\":\"x\"} "), ("\"author\":\"a\"", "\"author\":\"\""),
    ])
    func canonicalLinesBreakingOneRuleAreJudgedAsBefore(_ replacement: (String, String)) {
        let base = #"{"dot":"A:5","lamport":7,"deps":{"A":4,"B":2},"scope":"s","record":"r","field":"f","author":"a","wall":"2026-01-01T00:00:00.000Z","schema":1,"kind":"register","value":"x"}"#
        #expect(base.contains(replacement.0))
        Self.expectSameJudgement(Array(base.replacingOccurrences(of: replacement.0, with: replacement.1).utf8))
    }

    /// Each key the decoder knows is told from the others and from near misses.
    @Test func keysAreToldApart() {
        for (index, name) in OpLine.names.enumerated() {
            for (variant, expected) in [(name, index), (name.uppercased(), nil), (String(name.dropLast()) + "x", nil), (name + "s", nil)] {
                let found = Array(variant.utf8).withUnsafeBufferPointer { OpLine.bit(.raw($0)) }
                #expect(found == expected, "\(variant)")
                #expect(OpLine.bit(.decoded(variant)) == expected, "\(variant)")
            }
        }
    }

    static func expectSameJudgement(_ line: [UInt8]) {
        let old = Result { () throws(OpDecodingError) in try ReferenceOpDecoder.decode(line) }
        let new = Result { () throws(OpDecodingError) in try OpCodec.decode(line) }
        switch (old, new) {
        case (.success(let before), .success(let now)):
            #expect(before == now, "\(String(decoding: line, as: UTF8.self))")
        case (.failure(let before), .failure(let now)):
            #expect(before.description == now.description, "\(String(decoding: line, as: UTF8.self))")
        default:
            Issue.record("old \(old), new \(new): \(String(decoding: line, as: UTF8.self))")
        }
    }

    static func ops(seed: UInt64) throws -> [Op] {
        var network = Network(count: 3, seed: seed)
        try network.run(steps: 60)
        return network.replicas.flatMap { $0.log.values }.sorted { $0.dot < $1.dot }
    }

    /// Bytes that matter to JSON and to the op's checks, and a little Chinese.
    static let alphabet: [[UInt8]] = ["{", "}", "[", "]", "\"", ":", ",", "\\", " ", "0", "1", "9", "-", ".", "e", "n", "u",
                                      "null", "true", "\\u00", "\\n", "\n", "中", "x"].map { Array($0.utf8) }

    static func damage(_ line: inout [UInt8], using rng: inout SplitMix) {
        guard !line.isEmpty else { return }
        let at = Int.random(in: 0..<line.count, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: line.remove(at: at)
        case 1: line[at] = alphabet.randomElement(using: &rng)![0]
        case 2: line.insert(contentsOf: alphabet.randomElement(using: &rng)!, at: at)
        case 3:
            let end = min(line.count, at + Int.random(in: 1...12, using: &rng))
            line.insert(contentsOf: line[at..<end], at: end)
        default: line.insert(contentsOf: Array("  ".utf8), at: at)
        }
    }
}
