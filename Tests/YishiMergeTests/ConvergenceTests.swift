import PropertyBased
import Testing
import YishiMerge
import YishiTestSupport

/// The laws of the merge, checked over thousands of random scenarios.
@Suite struct ConvergenceTests {
    @Test func replicasThatSawTheSameOpsAgree() async {
        await propertyCheck(count: 1500, input: Gen.int(in: 4...6), Gen.uint64()) { count, seed in
            var network = Network(count: count, seed: seed)
            try network.run(steps: 60)
            try network.heal()
            let reference = network.replicas[0].canonicalLines
            for replica in network.replicas {
                #expect(replica.held.isEmpty)
                #expect(replica.canonicalLines == reference, "replica \(replica.replica) diverged (seed \(seed))")
            }
        }
    }

    @Test func applyingAnOpTwiceChangesNothing() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var network = Network(count: 4, seed: seed)
            try network.run(steps: 40)
            for index in network.replicas.indices {
                let before = network.replicas[index].canonicalLines
                for op in network.replicas[index].log.values {
                    #expect(try network.replicas[index].receive(op) == .duplicate)
                }
                #expect(network.replicas[index].canonicalLines == before)
            }
        }
    }

    @Test func opsArrivingBeforeTheirDependenciesAreHeldNotDropped() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var network = Network(count: 4, seed: seed)
            try network.run(steps: 40)
            try network.heal()
            // Newest first: nearly everything arrives before what it depends on.
            let ops = network.replicas[0].log.values.sorted { $0.lamport > $1.lamport }
            var late = ReplicaState(replica: ReplicaID(rawValue: "late")!)
            var heldAtSomePoint = 0
            for op in ops where try late.receive(op) == .held { heldAtSomePoint += 1 }
            #expect(late.held.isEmpty)
            #expect(heldAtSomePoint > 0 || ops.count < 2)
            #expect(late.canonicalLines == network.replicas[0].canonicalLines)
        }
    }

    @Test func concurrentOpsCommute() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var network = Network(count: 2, seed: seed)
            for _ in 0..<6 {
                try network.randomEdit(at: 0)
                try network.randomEdit(at: 1)
            }
            let opsA = network.replicas[0].log.values.sorted { $0.dot < $1.dot }
            let opsB = network.replicas[1].log.values.sorted { $0.dot < $1.dot }
            var ab = ReplicaState(replica: ReplicaID(rawValue: "x")!)
            var ba = ReplicaState(replica: ReplicaID(rawValue: "y")!)
            for op in opsA + opsB { try ab.receive(op) }
            for op in opsB + opsA { try ba.receive(op) }
            #expect(ab.canonicalLines == ba.canonicalLines)
        }
    }
}

/// Guards the property tests themselves: if the random scenarios stopped producing
/// conflicts or out-of-order arrivals, the laws above would pass without testing anything.
@Suite struct ScenarioCoverageTests {
    @Test func randomScenariosProduceConflictsOfEveryKindAndHeldOps() throws {
        var conflictKinds: Set<FieldKind> = []
        var heldSeen = 0
        for seed in UInt64(0)..<200 {
            var network = Network(count: 4, seed: seed)
            try network.run(steps: 60)
            heldSeen += network.replicas.map(\.held.count).reduce(0, +)
            try network.heal()
            conflictKinds.formUnion(network.replicas[0].conflicts.map(\.kind))
        }
        #expect(conflictKinds == [.register, .text, .entry, .status])
        #expect(heldSeen > 0)
    }
}
