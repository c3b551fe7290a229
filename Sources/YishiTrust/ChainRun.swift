import YishiMerge

/// One origin's ops in a batch with consecutive counters, as the hashes of their canonical
/// lines: what a proof vouches for.
public struct ChainRun: Sendable {
    public var origin: ReplicaID
    public var from: UInt64
    public var hashes: [[UInt8]]

    public init(origin: ReplicaID, from: UInt64, hashes: [[UInt8]]) {
        self.origin = origin
        self.from = from
        self.hashes = hashes
    }

    /// The counter of the run's last op.
    public var to: UInt64 { from + UInt64(hashes.count) - 1 }

    /// A batch's ops (each dot once) split into runs: by origin, in counter order, a new run
    /// wherever a counter is skipped.
    public static func runs(of dots: [(dot: Dot, hash: [UInt8])]) -> [ChainRun] {
        var byOrigin: [ReplicaID: [(UInt64, [UInt8])]] = [:]
        for (dot, hash) in dots { byOrigin[dot.replica, default: []].append((dot.counter, hash)) }
        var runs: [ChainRun] = []
        for origin in byOrigin.keys.sorted() {
            let ops = byOrigin[origin]!.sorted { $0.0 < $1.0 }
            var run: ChainRun?
            var last: UInt64 = 0
            for (counter, hash) in ops {
                if counter == last { continue }
                if run != nil, counter == last + 1 {
                    run!.hashes.append(hash)  // in place: a copy here would make a batch's split quadratic
                } else {
                    if let run { runs.append(run) }
                    run = ChainRun(origin: origin, from: counter, hashes: [hash])
                }
                last = counter
            }
            if let run { runs.append(run) }
        }
        return runs
    }
}

extension ChainRun {
    /// The runs of a batch's dots, as spans of counters: what a sender proves.
    public static func spans(of dots: [Dot]) -> [(origin: ReplicaID, from: UInt64, to: UInt64)] {
        runs(of: dots.map { ($0, []) }).map { ($0.origin, $0.from, $0.to) }
    }
}

/// A run whose proof held: the chain's head after each of its ops, the checkpoints to keep
/// (to relay with the ops later), and the head before it when the receiver did not hold
/// that op (kept as an anchor, so that the run can be proved again to another replica).
public struct VerifiedRun: Sendable {
    public var origin: ReplicaID
    public var from: UInt64
    public var heads: [[UInt8]]
    public var checkpoints: [Checkpoint]
    public var anchor: [UInt8]?
}
