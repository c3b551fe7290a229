import Crypto
import Foundation
import PropertyBased
import Testing
import YishiMerge
import YishiStore
import YishiTestSupport

/// The SQLite replica must reach exactly the state the in-memory reference reaches,
/// byte for byte in the digest, however the ops are batched, ordered or repeated.
@Suite struct ReplicaAgreesWithMergeModelTests {
    static func referenceDigest(_ state: ReplicaState) -> String {
        let text = state.canonicalLines.map { $0 + "\n" }.joined()
        return SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Receives `ops` in order, in batches of random sizes within `sizes`, one transaction each.
    static func receive(_ ops: [Op], into replica: Replica, inBatchesOf sizes: ClosedRange<Int>, using rng: inout SplitMix) throws {
        var start = 0
        while start < ops.count {
            let end = min(ops.count, start + Int.random(in: sizes, using: &rng))
            try replica.receive(Array(ops[start..<end]))
            start = end
        }
    }

    @Test func sqliteReplicaMatchesTheReferenceOnRandomScenarios() async throws {
        let folder = TemporaryDirectory()
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var network = Network(count: 4, seed: seed)
            try network.run(steps: 50)
            try network.heal()
            let reference = network.replicas[0]
            var ops = Array(reference.log.values)
            var rng = SplitMix(seed: seed)
            ops.shuffle(using: &rng)
            ops += ops.prefix(ops.count / 3)

            let replica = try Replica.create(
                at: folder.dataDirectory(UUID().uuidString), replica: "observer", community: "HL3")
            try Self.receive(ops, into: replica, inBatchesOf: 1...12, using: &rng)
            #expect(try replica.heldCount() == 0)
            #expect(try replica.digest() == Self.referenceDigest(reference))
            #expect(try replica.conflicts() == reference.conflicts)
            #expect(try replica.verifyJournal().problems.isEmpty)
        }
    }

    /// Large batches: the same keys written many times in one transaction, fields created
    /// and written again in it, which the batch cache answers from memory.
    @Test func largeBatchesMatchTheReference() async throws {
        let folder = TemporaryDirectory()
        await propertyCheck(count: 25, input: Gen.uint64()) { seed in
            var network = Network(count: 3, seed: seed)
            try network.run(steps: 150)
            try network.heal()
            let reference = network.replicas[0]
            var rng = SplitMix(seed: seed)
            var ops = Array(reference.log.values)
            // Causal order for most runs (every op applies at once, the cache's fast path),
            // shuffled for the rest (ops are held and released within the batch).
            if seed % 3 == 0 { ops.shuffle(using: &rng) } else { ops.sort { ($0.lamport, $0.dot.description) < ($1.lamport, $1.dot.description) } }
            let replica = try Replica.create(
                at: folder.dataDirectory(UUID().uuidString), replica: "observer", community: "HL3")
            try Self.receive(ops, into: replica, inBatchesOf: 50...600, using: &rng)
            #expect(try replica.heldCount() == 0)
            #expect(try replica.digest() == Self.referenceDigest(reference))
            #expect(try replica.conflicts() == reference.conflicts)
        }
    }

    @Test func localEditsOnTheReplicaMatchTheReference() throws {
        let folder = TemporaryDirectory()
        let replica = try Replica.create(at: folder.dataDirectory("a"), replica: "A", community: "HL3")
        var reference = ReplicaState(replica: ReplicaID(rawValue: "A")!)
        var rng = SplitMix(seed: 7)
        for step in 0..<80 {
            let (record, field, change) = RandomEdits.change(for: reference, using: &rng)
            let wall = WallTime(milliseconds: Int64(step) * 1000)
            let made = try replica.edit([LocalEdit(record: record, field: field, change: change)], author: "王芳", at: wall)
            for op in made { try reference.receive(op) }
            if made.isEmpty { continue }
            #expect(made.first == reference.log[made[0].dot])
        }
        #expect(try replica.digest() == ReplicaAgreesWithMergeModelTests.referenceDigest(reference))
    }
}
