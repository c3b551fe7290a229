import Foundation
import PropertyBased
import Testing
import YishiMerge
import YishiStore
import YishiTestSupport
import YishiTrust

/// The central keeps only what a replica would apply: for any batch a station's doctored
/// build might sign — honest edits mixed with fields of another kind, values larger than any
/// form, characters that reorder text, sentences that are not there, the street's fields,
/// another community's scope — whatever the central's records accept, a station of the
/// community applies too, from the same proof.
@Suite struct CentralAcceptsTests {
    static let wall = WallTime(milliseconds: 1_763_800_000_000)

    /// Honest ops of one station, some then doctored.
    static func batch(seed: UInt64, count: Int) throws -> [Op] {
        var generator = SplitMix(seed: seed)
        var source = ReplicaState(replica: ReplicaID(rawValue: "HL3-02")!)
        var ops: [Op] = []
        for index in 0..<count {
            let record = "topic/HL3-02-2026-000\(generator.next() % 3)"
            let change: (String, LocalChange) = switch generator.next() % 5 {
            case 0: ("title", .write("标题 \(index)"))
            case 1: ("tags", .add("标签\(generator.next() % 4)"))
            case 2: ("description", .text("第一句。\n第 \(index) 句。\n"))
            case 3: ("status", .status(StatusValue(name: "deliberating", rank: 40)))
            default: ("note", .write("说明 \(index)"))
            }
            if let op = try source.edit(record: record, field: change.0, scope: "HL3", change: change.1, author: "乙", wallTime: wall) {
                ops.append(op)
            }
        }
        for index in ops.indices where generator.next() % 4 == 0 {
            var op = ops[index]
            switch generator.next() % 7 {
            case 0: op.change = .set(add: ["电梯"], remove: [])  // a field of another kind than the model's, or its history's
            case 1: op.change = .register(String(repeating: "长", count: 10_001))
            case 2: op.change = .register("北门\u{202E}垃圾")
            case 3: op.change = .text([.put(SegmentID(dot: Dot(replica: ReplicaID(rawValue: "HL3-09")!, counter: 1), index: 0), "不存在的句子")])
                op.deps[ReplicaID(rawValue: "HL3-09")!] = 1
            case 4: op.record = "opinion/HL3-02-2026-Y0001"; op.field = "answer"; op.change = .register("街道同意")
            case 5: op.scope = "DSF"
            default: op.field = "title"
            }
            ops[index] = op
        }
        return ops
    }

    final class Tally: @unchecked Sendable {
        var taken = 0, refused = 0
    }

    @Test func whatTheCentralTakesAStationApplies() async throws {
        let tally = Tally()
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.int(in: 1...12)) { seed, count in
            let folder = TemporaryDirectory()
            let community = TrustedCommunity(["HL3-01", "HL3-02"])
            let ops = try Self.batch(seed: seed, count: count)
            let origin = ReplicaID(rawValue: "HL3-02")!
            let lines = ops.map(OpCodec.encodedBytes)
            let head = lines.reduce(OriginChain.seed(origin)) { OriginChain.next($0, opHash: OriginChain.opHash($1)) }
            let proof = RunProof(origin: origin, from: 1, before: nil,
                                 checkpoints: [Checkpoint(origin: origin, counter: UInt64(ops.count), head: head, signedBy: community.keys["HL3-02"]!)])
            let central = try Replica.create(at: folder.dataDirectory("central"), replica: "central", community: "central")
            let taken: Bool
            do {
                _ = try central.receivePush(ops, proofs: [proof], directory: community.directory, street: community.street, attesting: [])
                taken = true
                tally.taken += 1
            } catch {
                taken = false
                tally.refused += 1
                #expect(try central.clock().counters.isEmpty, "a refused batch leaves nothing")
            }
            guard taken else { return }
            let station = try community.replica("HL3-01", at: folder.dataDirectory("HL3-01"))
            let relayed = try central.proofs(for: ChainRun.spans(of: ops.map(\.dot)), directory: community.directory, street: community.street)
            _ = try station.receive(ops, proofs: relayed, directory: nil, from: .central)
            #expect(try station.digest(scope: "HL3") == central.digest(scope: "HL3"), "seed \(seed)")
        }
        // Neither side of the law went untried.
        #expect(tally.taken > 5 && tally.refused > 5, "\(tally.taken) taken, \(tally.refused) refused")
    }
}
