import Foundation
import YishiMerge
import YishiStore
import YishiTrust

/// Ops made elsewhere applied to a replica in sync-sized batches: the rate a station
/// catches up after weeks offline, and what each op costs in the journal.
enum RemoteApplyBenchmark {
    /// A realistic mix from another station: titles, owners and deadlines rewritten,
    /// participants added, ballots cast, statuses moved, short texts written.
    static func makeOps(count: Int, replica: String = "HL3-02", scope: String = "HL3") throws -> [Op] {
        var source = ReplicaState(replica: ReplicaID(rawValue: replica)!)
        var ops: [Op] = []
        ops.reserveCapacity(count)
        var index = 0
        while ops.count < count {
            let record = "topic/\(replica)-2026-\(index % 20_000)"
            let change: (String, LocalChange)
            switch index % 10 {
            case 0, 1, 2: change = ("title", .write("第\(index)号议题：小区停车位规划"))
            case 3: change = ("owner", .write("物业 张经理"))
            case 4: change = ("deadline", .write("2026-12-\(index % 28 + 1)"))
            case 5, 6: change = ("participants", .add("居民代表\(index % 50)"))
            case 7: change = ("ballots", .entry(key: "委员\(index % 8)", value: "同意"))
            case 8: change = ("status", .status(StatusValue(name: "deliberating", rank: 40)))
            default: change = ("note", .text("第\(index)次说明。"))
            }
            if let op = try source.edit(record: record, field: change.0, scope: scope, change: change.1,
                                        author: "李强", wallTime: WallTime(milliseconds: 1_763_800_000_000)) {
                ops.append(op)
            }
            index += 1
        }
        return ops
    }

    /// The same ops, each batch with its proof (the source station's checkpoint at its end),
    /// applied by a replica that trusts the street and checks every one before it applies it:
    /// what a station pays for checking a pull.
    static func runProved(count: Int, batch: Int) throws -> (seconds: Double, cpuSeconds: Double) {
        let ops = try makeOps(count: count)
        let street = SigningKey(), source = SigningKey()
        let directory = KeyDirectory(community: "HL3", serial: 1, street: [KeyDirectory.StreetKey(key: street.publicKey)],
                                     origins: [KeyDirectory.Origin(origin: ReplicaID(rawValue: "HL3-02")!, keys: [KeyDirectory.Key(key: source.publicKey)])])
        // The proofs as the central would send them: the head before each batch and a
        // checkpoint at its end, worked out before the clock starts.
        var head = OriginChain.seed(ReplicaID(rawValue: "HL3-02")!)
        var batches: [(ops: [Op], proof: RunProof)] = []
        for start in stride(from: 0, to: ops.count, by: batch) {
            let slice = Array(ops[start..<min(ops.count, start + batch)])
            let before = head
            for op in slice { head = OriginChain.next(head, opHash: OriginChain.opHash(OpCodec.encodedBytes(op))) }
            let last = slice.last!.dot
            batches.append((slice, RunProof(origin: last.replica, from: slice[0].dot.counter, before: slice[0].dot.counter == 1 ? nil : before,
                                            checkpoints: [Checkpoint(origin: last.replica, counter: last.counter, head: head, signedBy: source)])))
        }
        let folder = Measure.temporaryDirectory("apply-proved")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent("station")), replica: "HL3-01", community: "HL3")
        try replica.pinStreetKey(street.publicKey)
        try replica.adopt(directory.signed(with: street))
        let (wall, cpu) = try Measure.wallAndCPU {
            for (slice, proof) in batches {
                try replica.receive(slice, proofs: [proof], directory: nil, from: .central)
            }
        }
        return (wall, cpu)
    }

    static func run(count: Int, batch: Int) throws
        -> (seconds: Double, cpuSeconds: Double, journalBytesPerOp: Double, digestSeconds: Double, floorSeconds: Double)
    {
        let ops = try makeOps(count: count)
        let folder = Measure.temporaryDirectory("apply")
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = DataDirectory(folder.appendingPathComponent("station"))
        let replica = try Replica.create(at: directory, replica: "HL3-01", community: "HL3")
        let headerBytes = try FileManager.default.attributesOfItem(atPath: directory.journal.path)[.size] as! Int
        let (seconds, cpuSeconds) = try Measure.wallAndCPU {
            var start = 0
            while start < ops.count {
                try replica.receive(Array(ops[start..<min(ops.count, start + batch)]))
                start += batch
            }
        }
        let journalBytes = try FileManager.default.attributesOfItem(atPath: directory.journal.path)[.size] as! Int
        let digestSeconds = try Measure.seconds { _ = try replica.digest() }
        let floorSeconds = try SQLiteFloor.run(ops, batch: batch)
        return (seconds, cpuSeconds, Double(journalBytes - headerBytes) / Double(count), digestSeconds, floorSeconds)
    }
}
