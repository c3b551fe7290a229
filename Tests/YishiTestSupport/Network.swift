import YishiMerge

/// Replicas exchanging ops the way real ones do: partial, reordered, duplicated, batched.
public struct Network {
    public var replicas: [ReplicaState]
    public var rng: SplitMix
    var clockMillis: Int64 = 1_763_800_000_000

    public init(count: Int, seed: UInt64) {
        replicas = (0..<count).map { ReplicaState(replica: ReplicaID(rawValue: "S\($0)")!) }
        rng = SplitMix(seed: seed)
    }

    public mutating func randomEdit(at index: Int) throws {
        let (record, field, change) = RandomEdits.change(for: replicas[index], using: &rng)
        // Wall clocks are deliberately wild: a box without RTC may think it is 1970.
        clockMillis += Int64.random(in: -3_600_000...3_600_000, using: &rng)
        try replicas[index].edit(
            record: record, field: field, scope: "HL3", change: change, author: "员\(index)",
            wallTime: WallTime(milliseconds: clockMillis))
    }

    /// Sends a random subset of `from`'s ops to `to`, shuffled, some twice.
    public mutating func deliverSome(from: Int, to: Int) throws {
        let ops = Array(replicas[from].log.values)
        guard !ops.isEmpty else { return }
        var batch = ops.filter { _ in Bool.random(using: &rng) }
        batch += batch.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 }
        batch.shuffle(using: &rng)
        for op in batch { try replicas[to].receive(op) }
    }

    /// Everyone gets everything, in a different random order each, with duplicates.
    public mutating func heal() throws {
        let all = Set(replicas.flatMap { $0.log.values })
        for index in replicas.indices {
            var batch = Array(all) + Array(all).filter { _ in Bool.random(using: &rng) }
            batch.shuffle(using: &rng)
            for op in batch { try replicas[index].receive(op) }
        }
    }

    /// A run of random edits and partial deliveries, with the replicas split into two
    /// partitions for a while.
    public mutating func run(steps: Int) throws {
        let count = replicas.count
        var partition: Set<Int>? = nil
        for _ in 0..<steps {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5:
                try randomEdit(at: Int.random(in: 0..<count, using: &rng))
            case 5..<8:
                let from = Int.random(in: 0..<count, using: &rng)
                let to = Int.random(in: 0..<count, using: &rng)
                let split = partition.map { $0.contains(from) != $0.contains(to) } ?? false
                if from != to && !split { try deliverSome(from: from, to: to) }
            case 8:
                partition = Set((0..<count).filter { _ in Bool.random(using: &rng) })
            default:
                partition = nil
            }
        }
    }
}
