import Foundation
import Synchronization
import Testing
@testable import YishiCentral

/// The gate before unverified bodies: a burst waits its turn instead of failing, one
/// address never holds more than its share nor blocks the others, and a wait has an end.
@Suite struct GateTests {
    @Test func aBurstFromOneAddressIsLetInTurnByTurn() async {
        let gate = Gate(limit: 16, perAddress: 8)
        let most = Holders()
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    guard await gate.enter("10.0.0.1") else { return false }
                    most.count.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                    try? await Task.sleep(for: .milliseconds(20))
                    most.count.withLock { $0.now -= 1 }
                    gate.leave("10.0.0.1")
                    return true
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 50)
        #expect(most.count.withLock { $0.most } == 8, "one address holds at most its share")
    }

    final class Holders: Sendable {
        let count = Mutex((now: 0, most: 0))
    }

    @Test func anAddressAtItsShareDoesNotHoldUpAnother() async {
        let gate = Gate(limit: 4, perAddress: 2, patience: .seconds(5))
        #expect(await gate.enter("a"))
        #expect(await gate.enter("a"))
        async let third = gate.enter("a")  // waits: a has its two
        try? await Task.sleep(for: .milliseconds(50))
        #expect(await gate.enter("b"), "b is let in past a's waiting request")
        gate.leave("a")
        #expect(await third)
    }

    @Test func aWaitEndsInNoWhenNothingIsFreed() async {
        let gate = Gate(limit: 1, perAddress: 1, patience: .milliseconds(200))
        #expect(await gate.enter("a"))
        let started = ContinuousClock.now
        #expect(await gate.enter("b") == false)
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        gate.leave("a")
        #expect(await gate.enter("b"), "the place freed is free, not lost to the request that gave up")
    }
}
