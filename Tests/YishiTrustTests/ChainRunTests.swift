import PropertyBased
import Testing
import YishiMerge
import YishiTrust

/// A batch split into runs, whatever its order: the one pass a batch in runs takes gives
/// what sorting gives, and every op's place in the runs is its own.
@Suite struct ChainRunTests {
    static let origins = ["HL3-01", "HL3-02", "central.HL3"].map { ReplicaID(rawValue: $0)! }

    static func hash(_ dot: Dot) -> [UInt8] { Array("\(dot)".utf8) }

    /// Runs as their definition says: per origin, counters sorted and deduplicated, cut at gaps.
    static func reference(_ dots: [Dot]) -> [(ReplicaID, UInt64, UInt64)] {
        var runs: [(ReplicaID, UInt64, UInt64)] = []
        for origin in Set(dots.map(\.replica)).sorted() {
            for counter in Set(dots.filter { $0.replica == origin }.map(\.counter)).sorted() {
                if let last = runs.last, last.0 == origin, last.2 + 1 == counter { runs[runs.count - 1].2 = counter } else { runs.append((origin, counter, counter)) }
            }
        }
        return runs
    }

    @Test func anyBatchSplitsAsItsDefinitionSays() async {
        await propertyCheck(count: 2000, input: Gen.int(in: 0...2).array(of: 0...40), Gen.int(in: 1...4).array(of: 0...40), Gen.bool) { origins, steps, shuffle in
            // Per origin, counters rising by 1 (a run), 2 (a gap) or 0 (the same dot again).
            var next: [ReplicaID: UInt64] = [:]
            var dots = zip(origins, steps).map { origin, step in
                let replica = Self.origins[origin]
                let counter = (next[replica] ?? 0) + UInt64(step == 4 ? 0 : step == 3 ? 2 : 1)
                next[replica] = max(counter, 1)
                return Dot(replica: replica, counter: max(counter, 1))
            }
            if shuffle { dots.shuffle() } else { dots.sort { ($0.replica, $0.counter) < ($1.replica, $1.counter) } }
            let split = ChainRun.split(dots.map { ($0, Self.hash($0)) })
            #expect(split.runs.map { ($0.origin, $0.from, $0.to) }.elementsEqual(Self.reference(dots)) { $0 == $1 })
            #expect(split.positions.count == dots.count)
            for (dot, place) in zip(dots, split.positions) {
                let run = split.runs[place.run]
                #expect(run.origin == dot.replica && run.from + UInt64(place.offset) == dot.counter && run.hashes[place.offset] == Self.hash(dot))
            }
        }
    }
}
