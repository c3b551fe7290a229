import Testing
@testable import YishiPostgres

/// The follower's one-slot wake: a signal is never slept over, and a wait ends at its
/// interval or its cancellation when none comes.
struct FollowerWakeTests {
    /// The waits' interval, and the bound a signalled wait must return within. A full test
    /// run keeps the cooperative pool busy and wakes tasks late, by many seconds at times
    /// (a bound of 5 s failed there once); a wait whose signal was lost runs to `never`.
    static let never = Duration.seconds(600)
    static let soon = Duration.seconds(300)

    @Test func aSignalBeforeTheWaitEndsItAtOnce() async {
        let wake = FollowerWake()
        wake.signal()
        wake.signal()
        let took = await ContinuousClock().measure { await wake.wait(upTo: Self.never) }
        #expect(took < Self.soon)
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
        let took = await ContinuousClock().measure { await wake.wait(upTo: Self.never) }
        #expect(took >= .milliseconds(100) && took < Self.soon)
        await signaller.value
    }

    @Test func cancellationEndsTheWait() async {
        let wake = FollowerWake()
        let waiter = Task { await ContinuousClock().measure { await wake.wait(upTo: Self.never) } }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        #expect(await waiter.value < Self.soon)
        // A wait already cancelled does not wait at all.
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await ContinuousClock().measure { await wake.wait(upTo: Self.never) }
        }
        #expect(await cancelled.value < Self.soon)
    }

    /// Many signallers and one waiter, as stores and notices come while the follower
    /// works: every wait that begins after a signal ends without its interval.
    @Test func signalsFromManyTasksAreNeverLost() async {
        let wake = FollowerWake()
        for _ in 0..<200 {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { wake.signal() } }
            }
            let took = await ContinuousClock().measure { await wake.wait(upTo: Self.never) }
            #expect(took < Self.soon)
        }
    }
}
