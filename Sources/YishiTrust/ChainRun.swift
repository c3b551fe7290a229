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

    /// A batch's ops split into runs: by origin, in counter order, a new run wherever a
    /// counter is skipped; runs ordered by origin, then counter.
    public static func runs(of dots: [(dot: Dot, hash: [UInt8])]) -> [ChainRun] { split(dots).runs }

    /// The runs of a batch, and where each op of it (in the batch's order) sits in them: a
    /// dot given twice sits where its first one does.
    public struct Split: Sendable {
        public var runs: [ChainRun]
        public var positions: [(run: Int, offset: Int)]
    }

    /// `runs(of:)`, with the ops' places. A batch is nearly always in runs already (each
    /// origin's ops consecutive, in counter order, as a push or a pull sends them): that is
    /// taken in one pass without a table of origins, which a proved pull or push otherwise
    /// pays at every op. Anything else is sorted.
    public static func split(_ dots: [(dot: Dot, hash: [UInt8])]) -> Split {
        var runs: [ChainRun] = []
        var positions: [(run: Int, offset: Int)] = []
        positions.reserveCapacity(dots.count)
        var started: Set<ReplicaID> = []
        for (dot, hash) in dots {
            if let last = runs.indices.last, runs[last].origin == dot.replica {
                guard dot.counter == runs[last].to + 1 else { return sorted(dots) }
                runs[last].hashes.append(hash)
                positions.append((last, runs[last].hashes.count - 1))
                continue
            }
            guard started.insert(dot.replica).inserted else { return sorted(dots) }
            runs.append(ChainRun(origin: dot.replica, from: dot.counter, hashes: [hash]))
            positions.append((runs.count - 1, 0))
        }
        return ordered(Split(runs: runs, positions: positions))
    }

    /// Any batch: each origin's ops sorted by counter.
    static func sorted(_ dots: [(dot: Dot, hash: [UInt8])]) -> Split {
        var byOrigin: [ReplicaID: [(counter: UInt64, hash: [UInt8], index: Int)]] = [:]
        for (index, (dot, hash)) in dots.enumerated() { byOrigin[dot.replica, default: []].append((dot.counter, hash, index)) }
        var runs: [ChainRun] = []
        var positions = [(run: Int, offset: Int)](repeating: (0, 0), count: dots.count)
        for (origin, ops) in byOrigin {
            for op in ops.sorted(by: { $0.counter < $1.counter }) {
                if let last = runs.indices.last, runs[last].origin == origin, op.counter <= runs[last].to + 1, op.counter >= runs[last].from {
                    if op.counter == runs[last].to + 1 { runs[last].hashes.append(op.hash) }  // in place, never a copy per op
                    positions[op.index] = (last, Int(op.counter - runs[last].from))
                } else {
                    runs.append(ChainRun(origin: origin, from: op.counter, hashes: [op.hash]))
                    positions[op.index] = (runs.count - 1, 0)
                }
            }
        }
        return ordered(Split(runs: runs, positions: positions))
    }

    /// Runs by origin, then counter, whatever order the batch named them in.
    static func ordered(_ split: Split) -> Split {
        let order = split.runs.indices.sorted { (split.runs[$0].origin, split.runs[$0].from) < (split.runs[$1].origin, split.runs[$1].from) }
        guard order != Array(split.runs.indices) else { return split }
        var place = [Int](repeating: 0, count: order.count)
        for (new, old) in order.enumerated() { place[old] = new }
        return Split(runs: order.map { split.runs[$0] }, positions: split.positions.map { (place[$0.run], $0.offset) })
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
