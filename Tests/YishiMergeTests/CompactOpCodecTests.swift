import PropertyBased
import Testing
@testable import YishiMerge
import YishiTestSupport

/// The compact wire form against the canonical one: every op comes back exactly, whatever
/// runs and interleavings a batch holds, and what is wrong in a line gets a reason.
@Suite struct CompactOpCodecTests {
    static func decodeAll(_ lines: [[UInt8]]) throws(OpDecodingError) -> [Op] {
        var decoder = CompactOpCodec.Decoder()
        var ops: [Op] = []
        for line in lines { ops.append(try decoder.decode(line)) }
        return ops
    }

    /// Random runs of three replicas (all five kinds, texts, wild clocks), sent in the
    /// order one replica holds them and shuffled: the same ops, canonically the same bytes.
    @Test func everyBatchRoundTrips() async throws {
        await propertyCheck(count: 60, input: Gen.int(in: 0...Int(UInt32.max))) { seed in
            var network = Network(count: 3, seed: UInt64(seed))
            try network.run(steps: 80)
            var rng = SplitMix(seed: UInt64(seed))
            let inOrder = network.replicas[0].log.values.sorted { ($0.dot.replica, $0.dot.counter) < ($1.dot.replica, $1.dot.counter) }
            for batch in [inOrder, inOrder.shuffled(using: &rng)] {
                let decoded = try Self.decodeAll(CompactOpCodec.encode(batch))
                #expect(decoded == batch)
                #expect(decoded.map(OpCodec.encodedBytes) == batch.map(OpCodec.encodedBytes))
            }
        }
    }

    /// The compact decoder checks a rebuilt op by `OpRules`; here each op is instead encoded
    /// canonically and read back by the canonical decoder. On random batches with random
    /// damage, line after line, both ways take the same ops and refuse at the same line.
    @Test func rulesCheckAsTheCanonicalDecoderDoes() async throws {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(UInt32.max))) { seed in
            var network = Network(count: 3, seed: UInt64(seed))
            try network.run(steps: 60)
            var rng = SplitMix(seed: UInt64(seed))
            var lines = CompactOpCodec.encode(Array(network.replicas[1].log.values).shuffled(using: &rng).prefix(30).map { $0 })
            guard !lines.isEmpty else { return }
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<lines.count, using: &rng)
                OpDecoderTests.damage(&lines[at], using: &rng)
            }
            var fast = CompactOpCodec.Decoder()
            var previous: Op?
            for line in lines {
                let quick = Result { () throws(OpDecodingError) in try fast.decode(line) }
                let slow = Result { () throws(OpDecodingError) -> Op in
                    let op = try line.withUnsafeBufferPointer { buffer throws(OpDecodingError) in try CompactLine(buffer, after: previous).op() }
                    return try OpCodec.decode(OpCodec.encodedBytes(op))
                }
                switch (quick, slow) {
                case (.success(let a), .success(let b)):
                    #expect(a == b)
                    previous = b
                case (.failure, .failure): return
                default:
                    Issue.record("fast \(quick), canonical \(slow): \(String(decoding: line, as: UTF8.self))")
                    return
                }
            }
        }
    }

    /// The reader against the one it replaced (a dictionary of values, sets of keys): on
    /// random batches with random damage, each line read against the same op before it
    /// gives the same op or the same refusal with the same reason.
    @Test func linesAreReadAsTheReferenceReadsThem() async throws {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(UInt32.max))) { seed in
            var network = Network(count: 3, seed: UInt64(seed))
            try network.run(steps: 60)
            var rng = SplitMix(seed: UInt64(seed))
            let ops = Array(network.replicas[2].log.values).shuffled(using: &rng).prefix(30).map { $0 }
            var lines = CompactOpCodec.encode(ops)
            for index in lines.indices where Int.random(in: 0..<3, using: &rng) == 0 {
                OpDecoderTests.damage(&lines[index], using: &rng)
                if Bool.random(using: &rng) {
                    // A key the line does not use, or one of another kind.
                    let key = ["\"q\":1,", "\"e\":[],", "\"n\":2,", "\"+\":[\"x\"],", "\"\\u0064\":\"A:1\","].randomElement(using: &rng)!
                    lines[index].insert(contentsOf: Array(key.utf8), at: 1)
                }
            }
            for (index, line) in lines.enumerated() {
                let previous = index == 0 ? nil : ops[index - 1]
                let new = Result { () throws(OpDecodingError) in
                    try line.withUnsafeBufferPointer { buffer throws(OpDecodingError) in try CompactLine(buffer, after: previous).op() }
                }
                let old = Result { () throws(OpDecodingError) in
                    try line.withUnsafeBufferPointer { buffer throws(OpDecodingError) in try ReferenceCompactLine(buffer, after: previous).op() }
                }
                switch (new, old) {
                case (.success(let a), .success(let b)): #expect(a == b)
                case (.failure(let a), .failure(let b)): #expect(a.description == b.description, "\(String(decoding: line, as: UTF8.self))")
                default: Issue.record("new \(new), old \(old): \(String(decoding: line, as: UTF8.self))")
                }
            }
        }
    }

    /// A run of one station's edits carries little but what changed.
    @Test func aRunOfOneStationsEditsIsShort() throws {
        var state = ReplicaState(replica: ReplicaID(rawValue: "HL3-01")!)
        var ops: [Op] = []
        for index in 0..<3 {
            ops.append(try #require(try state.edit(record: "topic/HL3-01-2026-0001", field: "title", scope: "HL3",
                                                   change: .write("标题\(index)"), author: "王芳", wallTime: WallTime(milliseconds: 1_763_800_000_000 + Int64(index)))))
        }
        let lines = CompactOpCodec.encode(ops).map { String(decoding: $0, as: UTF8.self) }
        #expect(lines[1] == #"{"w":1,"v":"标题1"}"#)
        #expect(lines[2] == #"{"w":1,"v":"标题2"}"#)
        #expect(try Self.decodeAll(CompactOpCodec.encode(ops)) == ops)
    }

    @Test(arguments: [
        (#"{"l":1,"s":"HL3","r":"topic/1","f":"title","a":"王芳","w":1,"k":"register","v":"x"}"#, "缺少“dot”"),
        (#"{"d":"A:1","s":"HL3","r":"topic/1","f":"title","w":1,"k":"counter","v":"x"}"#, "counter"),
        (#"{"d":"A:1","s":"HL3","r":"topic/1","f":"title","w":1,"k":"register","v":"x","q":1}"#, "“q”"),
        (#"{"d":"A:1","s":"HL3","r":"topic/1","f":"title","w":1,"k":"register","v":"x""#, "JSON"),
        (#"{"d":"A:0","s":"HL3","r":"topic/1","f":"title","w":1,"k":"register","v":"x"}"#, "dot"),
        (#"{"d":"A:2","p":{"A":2},"s":"HL3","r":"topic/1","f":"title","w":1,"k":"register","v":"x"}"#, "deps"),
        (#"{"d":"A:1","l":-1,"s":"HL3","r":"topic/1","f":"title","w":1,"k":"register","v":"x"}"#, "lamport"),
        (#"{"d":"A:1","s":"HL3","r":"topic/1","f":"title","w":1,"k":"text","e":[{"u":"B:1:0","t":"x"}]}"#, "edits"),
    ])
    func badLinesAreRefusedWithAReason(_ line: String, _ mention: String) {
        #expect {
            try Self.decodeAll([Array(line.utf8)])
        } throws: { error in
            "\(error)".contains(mention)
        }
    }
}
