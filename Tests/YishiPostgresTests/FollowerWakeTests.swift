import Testing
@testable import YishiPostgres

/// The follower's one-slot wake: a signal is never slept over, and a wait ends at its
/// interval or its cancellation when none comes.
struct FollowerWakeTests {
    @Test func aSignalBeforeTheWaitEndsItAtOnce() async {
        let wake = FollowerWake()
        wake.signal()
        wake.signal()
        let took = await ContinuousClock().measure { await wake.wait(upTo: .seconds(60)) }
        #expect(took < .seconds(5))
        // The two signals were one: the next wait runs to its interval.
        let next = await ContinuousClock().measure { await wake.wait(upTo: .milliseconds(200)) }
        #expect(next >= .milliseconds(200))
    }

    @Test func aSignalDuringTheWaitEndsIt() async {
        let wake = FollowerWake()
        let signaller = Task {
            try? await Task.sleep(for: .milliseconds(100))
            wake.signal()
        }
        let took = await ContinuousClock().measure { await wake.wait(upTo: .seconds(60)) }
        #expect(took >= .milliseconds(100) && took < .seconds(5))
        await signaller.value
    }

    @Test func cancellationEndsTheWait() async {
        let wake = FollowerWake()
        let waiter = Task { await ContinuousClock().measure { await wake.wait(upTo: .seconds(60)) } }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        #expect(await waiter.value < .seconds(5))
        // A wait already cancelled does not wait at all.
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await ContinuousClock().measure { await wake.wait(upTo: .seconds(60)) }
        }
        #expect(await cancelled.value < .seconds(5))
    }

    /// Many signallers and one waiter, as stores and notices come while the follower
    /// works: every wait that begins after a signal ends without its interval.
    @Test func signalsFromManyTasksAreNeverLost() async {
        let wake = FollowerWake()
        for _ in 0..<200 {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { wake.signal() } }
            }
            let took = await ContinuousClock().measure { await wake.wait(upTo: .seconds(60)) }
            #expect(took < .seconds(5))
        }
    }
}
