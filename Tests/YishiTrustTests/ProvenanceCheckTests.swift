import Foundation
import PropertyBased
import Testing
import YishiMerge
import YishiTestSupport
import YishiTrust

/// The check every replica makes before it applies what it did not write, as pure values:
/// honest runs pass however they are cut and in whatever order they come; a changed, dropped
/// or replaced op, or a checkpoint another station's key made, never passes.
@Suite struct ProvenanceCheckTests {
    static let station = SigningKey()
    static let other = SigningKey()
    static let street = SigningKey()
    static let origin = ReplicaID(rawValue: "HL3-01")!
    static let directory = KeyDirectory(
        community: "HL3", serial: 1, street: [KeyDirectory.StreetKey(key: street.publicKey)],
        origins: [KeyDirectory.Origin(origin: origin, keys: [KeyDirectory.Key(key: station.publicKey)]),
                  KeyDirectory.Origin(origin: ReplicaID(rawValue: "HL3-02")!, keys: [KeyDirectory.Key(key: other.publicKey)])])

    /// `count` op hashes an origin might have written, from `seed`.
    static func hashes(_ count: Int, seed: UInt64) -> [[UInt8]] {
        var generator = SplitMix(seed: seed)
        return (0..<count).map { _ in (0..<32).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
    }

    /// The heads of a whole history, from the seed.
    static func heads(_ hashes: [[UInt8]]) -> [[UInt8]] {
        var head = OriginChain.seed(origin)
        return hashes.map { hash in
            head = OriginChain.next(head, opHash: hash)
            return head
        }
    }

    /// The run `from...to` (1-based) of a history with its honest proof, signed by `key`.
    static func proved(_ hashes: [[UInt8]], from: Int, to: Int, key: SigningKey = station) -> (ChainRun, RunProof) {
        let heads = heads(hashes)
        let run = ChainRun(origin: origin, from: UInt64(from), hashes: Array(hashes[(from - 1)..<to]))
        let proof = RunProof(origin: origin, from: UInt64(from), before: from == 1 ? nil : heads[from - 2],
                             checkpoints: [Checkpoint(origin: origin, counter: UInt64(to), head: heads[to - 1], signedBy: key)])
        return (run, proof)
    }

    static func verify(_ run: ChainRun, _ proof: RunProof, known: [UInt64: [UInt8]] = [:]) throws -> VerifiedRun {
        try #require(try ProvenanceCheck.verify([run], proofs: [proof], directory: directory) { _, counter in known[counter] }.first)
    }

    @Test func anHonestHistoryCutAnywherePassesInAnyOrder() async {
        await propertyCheck(count: 300, input: Gen.int(in: 2...40), Gen.uint64()) { count, seed in
            let history = Self.hashes(count, seed: seed)
            var generator = SplitMix(seed: seed ^ 0x5EED)
            // Cut into pieces at random places; deliver them shuffled, one twice.
            var cuts = Set((0..<3).map { _ in 1 + Int(generator.next() % UInt64(count - 1)) })
            cuts.insert(count)
            var pieces: [(Int, Int)] = []
            var start = 1
            for end in cuts.sorted() {
                pieces.append((start, end))
                start = end + 1
            }
            var order = pieces + [pieces[Int(generator.next() % UInt64(pieces.count))]]
            for index in order.indices.reversed() { order.swapAt(index, Int(generator.next() % UInt64(index + 1))) }
            var known: [UInt64: [UInt8]] = [:]
            for (from, to) in order {
                let (run, proof) = Self.proved(history, from: from, to: to)
                let verified = try Self.verify(run, proof, known: known)
                for (offset, head) in verified.heads.enumerated() { known[UInt64(from + offset)] = head }
            }
            #expect(known.count == count)
            #expect(known[UInt64(count)] == Self.heads(history).last)
        }
    }

    @Test func aChangedOpIsRefusedWhereverItIs() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1...40), Gen.uint64()) { count, seed in
            let history = Self.hashes(count, seed: seed)
            var generator = SplitMix(seed: seed)
            let (run, proof) = Self.proved(history, from: 1, to: count)
            var changed = run
            let index = Int(generator.next() % UInt64(count))
            changed.hashes[index][Int(generator.next() % 32)] ^= UInt8(1 + generator.next() % 255)
            #expect(throws: ProvenanceError.self) { try Self.verify(changed, proof) }
        }
    }

    @Test func aDroppedOrReplacedOpIsRefused() async {
        await propertyCheck(count: 300, input: Gen.int(in: 2...40), Gen.uint64()) { count, seed in
            let history = Self.hashes(count, seed: seed)
            var generator = SplitMix(seed: seed)
            let (run, proof) = Self.proved(history, from: 1, to: count)
            let index = Int(generator.next() % UInt64(count))
            // Dropped: what follows shifts down a counter, and the last head is not the signed one.
            var dropped = run
            dropped.hashes.remove(at: index)
            let splitAtDrop = ChainRun.runs(of: dropped.hashes.enumerated().map {
                (Dot(replica: Self.origin, counter: UInt64($0.offset + ($0.offset >= index ? 2 : 1))), $0.element)
            })
            #expect(throws: ProvenanceError.self) { try ProvenanceCheck.verify(splitAtDrop, proofs: [proof], directory: Self.directory) { _, _ in nil } }
            // Replaced by another op.
            var replaced = run
            replaced.hashes[index] = Self.hashes(1, seed: seed &+ 1)[0]
            #expect(throws: ProvenanceError.self) { try Self.verify(replaced, proof) }
        }
    }

    @Test func anotherStationsKeyOrAForgedHeadIsRefused() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...30), Gen.uint64()) { count, seed in
            let history = Self.hashes(count, seed: seed)
            // Signed by HL3-02's key, though the ops claim HL3-01.
            let (run, stolen) = Self.proved(history, from: 1, to: count, key: Self.other)
            #expect(throws: ProvenanceError.self) { try Self.verify(run, stolen) }
            // Signed by the right key over another head (a history the station never wrote).
            var forged = stolen
            forged.checkpoints = [Checkpoint(origin: Self.origin, counter: UInt64(count), head: Self.hashes(1, seed: seed)[0], signedBy: Self.station)]
            #expect(throws: ProvenanceError.self) { try Self.verify(run, forged) }
            // No checkpoint at all.
            var unsigned = stolen
            unsigned.checkpoints = []
            #expect(throws: ProvenanceError.self) { try Self.verify(run, unsigned) }
        }
    }

    /// A run after a gap must name the head before it; a wrong one is caught by the checkpoint
    /// (and, where the replica holds that op, by its own head).
    @Test func theHeadBeforeARunIsBoundByItsCheckpoint() async {
        await propertyCheck(count: 200, input: Gen.int(in: 3...30), Gen.uint64()) { count, seed in
            let history = Self.hashes(count, seed: seed)
            let (run, proof) = Self.proved(history, from: 2, to: count)
            var wrongBefore = proof
            wrongBefore.before = Self.hashes(1, seed: seed ^ 1)[0]
            #expect(throws: ProvenanceError.self) { try Self.verify(run, wrongBefore) }
            let verified = try Self.verify(run, proof)
            #expect(verified.anchor == Self.heads(history)[0])
            // Held already, the replica's own head decides, whatever the proof claims.
            #expect(throws: ProvenanceError.self) { try Self.verify(run, wrongBefore, known: [1: Self.heads(history)[0]]) }
        }
    }

    /// A key retired at counter 5 vouches up to 5 and no further; the street vouches anywhere.
    @Test func aRetiredKeySignsNothingNew() throws {
        let history = Self.hashes(8, seed: 42)
        var directory = Self.directory
        directory.origins[0].keys = [KeyDirectory.Key(key: Self.station.publicKey, through: 5)]
        let check = { (run: ChainRun, proof: RunProof) throws in
            _ = try ProvenanceCheck.verify([run], proofs: [proof], directory: directory) { _, _ in nil }
        }
        let (early, earlyProof) = Self.proved(history, from: 1, to: 5)
        try check(early, earlyProof)
        let (late, lateProof) = Self.proved(history, from: 1, to: 8)
        #expect(throws: ProvenanceError.self) { try check(late, lateProof) }
        let (_, attested) = Self.proved(history, from: 1, to: 8, key: Self.street)
        try check(late, attested)
    }

    /// The directory opens only under the pinned key, through every endorsed rotation.
    @Test func aDirectoryOpensUnderThePinnedKeyAndItsRotations() throws {
        let next = SigningKey()
        var directory = Self.directory
        directory.street.append(KeyDirectory.endorse(next.publicKey, with: Self.street))
        let signed = directory.signed(with: next)
        #expect(try KeyDirectory.open(signed, pinned: Self.street.publicKey) == directory)
        #expect(throws: DirectoryProblem.self) { try KeyDirectory.open(signed, pinned: Self.other.publicKey) }
        // Signed by the old key after the rotation: refused.
        #expect(throws: DirectoryProblem.self) { try KeyDirectory.open(directory.signed(with: Self.street), pinned: Self.street.publicKey) }
        // A rotation nobody endorsed: refused.
        var broken = directory
        broken.street[1] = KeyDirectory.StreetKey(key: next.publicKey, endorsement: Array(repeating: 0, count: 64))
        #expect(throws: DirectoryProblem.self) { try KeyDirectory.open(broken.signed(with: next), pinned: Self.street.publicKey) }
        // A byte of the body changed.
        var tampered = signed
        tampered.body = tampered.body.replacingOccurrences(of: "\"serial\":1", with: "\"serial\":9")
        #expect(throws: DirectoryProblem.self) { try KeyDirectory.open(tampered, pinned: Self.street.publicKey) }
    }
}
