/// For each replica, how many of its ops have been seen. Ops of one replica are always
/// applied in counter order, so a single number per replica describes a whole prefix.
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    public private(set) var counters: [ReplicaID: UInt64]

    /// Nothing seen yet (without the filter below, which every decoded op paid for).
    public init() { counters = [:] }

    public init(_ counters: [ReplicaID: UInt64]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    public subscript(replica: ReplicaID) -> UInt64 {
        get { counters[replica] ?? 0 }
        set { counters[replica] = newValue == 0 ? nil : newValue }
    }

    public func contains(_ dot: Dot) -> Bool { self[dot.replica] >= dot.counter }

    /// What both have seen: the smaller counter of each replica.
    public func meet(_ other: VersionVector) -> VersionVector {
        VersionVector(Dictionary(uniqueKeysWithValues: counters.map { ($0.key, Swift.min($0.value, other[$0.key])) }))
    }

    /// True when every op seen here was also seen by `other`.
    public func isCovered(by other: VersionVector) -> Bool {
        counters.allSatisfy { other[$0.key] >= $0.value }
    }

    public var sortedEntries: [(replica: ReplicaID, counter: UInt64)] {
        counters.sorted { $0.key < $1.key }.map { (replica: $0.key, counter: $0.value) }
    }

    /// `HL3-01=17,central=4`: the form `yishi clock` prints and `yishi export --have` reads.
    public var description: String {
        sortedEntries.map { "\($0.replica)=\($0.counter)" }.joined(separator: ",")
    }

    public init?(parsing text: String) {
        var counters: [ReplicaID: UInt64] = [:]
        let trimmed = text.trimmingWhitespace()
        if !trimmed.isEmpty {
            for part in trimmed.split(separator: ",") {
                let pieces = part.split(separator: "=", maxSplits: 1)
                guard pieces.count == 2,
                      let replica = ReplicaID(rawValue: String(pieces[0]).trimmingWhitespace()),
                      let counter = UInt64(String(pieces[1]).trimmingWhitespace())
                else { return nil }
                counters[replica] = counter
            }
        }
        self.init(counters)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
