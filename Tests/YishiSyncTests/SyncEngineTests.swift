import PropertyBased
import Testing
import YishiSync

/// Seeded, so every run sees the same jitter. (A generator that always returns one value
/// would hang: Double.random(in:) rejects values until it gets an unbiased one.)
struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct SyncEngineTests {
    func engine() -> SyncEngine<SeededRandom> {
        SyncEngine(configuration: .init(), now: 0, random: SeededRandom(state: 42))
    }

    @Test func syncsAtOnceOnStartThenOnTheInterval() {
        var engine = engine()
        #expect(engine.handle(.timerFired, now: 0) == .sync)
        #expect(engine.handle(.timerFired, now: 1) == .wait(until: .infinity))
        #expect(engine.handle(.succeeded, now: 5) == .wait(until: 65))
        #expect(engine.lastSuccess == 5)
        #expect(engine.handle(.timerFired, now: 30) == .wait(until: 65))
        #expect(engine.handle(.timerFired, now: 65) == .sync)
    }

    /// 立即同步: a person's request starts an attempt at once, even in backoff, and keeps
    /// the failure count, so a failing central is still backed off from afterwards.
    @Test func aPersonsRequestSyncsAtOnceEvenWhileBackingOff() {
        var engine = engine()
        _ = engine.handle(.timerFired, now: 0)
        _ = engine.handle(.succeeded, now: 0)
        #expect(engine.handle(.requested, now: 10) == .sync)
        #expect(engine.handle(.requested, now: 11) == .wait(until: .infinity))
        _ = engine.handle(.failed(.unreachable), now: 12)
        guard case .backingOff(1, let until, _) = engine.state else { Issue.record("\(engine.state)"); return }
        #expect(until > 13 && engine.handle(.timerFired, now: 13) == .wait(until: until))
        #expect(engine.handle(.requested, now: 13) == .sync)
        _ = engine.handle(.failed(.unreachable), now: 14)
        guard case .backingOff(2, _, _) = engine.state else { Issue.record("\(engine.state)"); return }
    }

    @Test func aLocalEditSyncsSoonButABurstGoesTogether() {
        var engine = engine()
        _ = engine.handle(.timerFired, now: 0)
        _ = engine.handle(.succeeded, now: 0)
        #expect(engine.handle(.localEdit, now: 10) == .wait(until: 12))
        #expect(engine.handle(.localEdit, now: 11) == .wait(until: 12))
        #expect(engine.handle(.timerFired, now: 12) == .sync)
    }

    @Test func failuresBackOffExponentiallyToTheCap() {
        var engine = engine()
        var waits: [Double] = []
        var now = 0.0
        for _ in 0..<12 {
            #expect(engine.handle(.timerFired, now: now) == .sync)
            guard case .wait(let until) = engine.handle(.failed(.status(503)), now: now) else { Issue.record("no wait"); return }
            waits.append(until - now)
            now = until
        }
        // Each wait lies between half and all of 2 s · 2^(n−1), capped at 300 s.
        let backoff = Backoff()
        for (index, wait) in waits.enumerated() {
            let ceiling = backoff.ceiling(afterFailures: index + 1)
            #expect(wait >= ceiling / 2 && wait <= ceiling, "wait \(index + 1): \(wait) not in \(ceiling / 2)...\(ceiling)")
        }
        #expect(backoff.ceiling(afterFailures: 12) == 300)
        #expect(waits.last! >= 150)
        #expect(!engine.isOffline)
    }

    @Test func networkFailuresMakeTheStationOfflineAndSuccessEndsIt() {
        var engine = engine()
        var now = 0.0
        var wentOffline: Double?
        for attempt in 1...5 {
            _ = engine.handle(.timerFired, now: now)
            guard case .wait(let until) = engine.handle(.failed(.unreachable), now: now) else { return }
            #expect(engine.isOffline == (attempt >= 3))
            if attempt == 3 { wentOffline = now }
            now = until
        }
        guard case .offline(let failures, _, let since) = engine.state else { Issue.record("not offline"); return }
        #expect(failures == 5)
        #expect(since == wentOffline)
        // An edit does not shorten the wait: it does not make the central reachable.
        guard case .wait(let until) = engine.handle(.localEdit, now: now - 0.5) else { return }
        #expect(until == now)
        _ = engine.handle(.timerFired, now: now)
        _ = engine.handle(.succeeded, now: now)
        #expect(!engine.isOffline)
        #expect(engine.state == .idle(next: now + 60))
    }

    @Test func aRefusalIsNotOfflineAndAStaleOutcomeIsIgnored() {
        var engine = engine()
        _ = engine.handle(.timerFired, now: 0)
        _ = engine.handle(.failed(.refused("站点已被停用")), now: 0)
        #expect(!engine.isOffline)
        let state = engine.state
        _ = engine.handle(.succeeded, now: 0.1)
        #expect(engine.state == state)
    }

    /// Whatever happens, a wait is never longer than the cap, never in the past, and an
    /// attempt is never started while one is under way.
    @Test func lawsHoldForAnySequenceOfEvents() async {
        await propertyCheck(count: 2000, input: Gen.uint64(), Gen.int(in: 0...3).array(of: 1...60)) { seed, kinds in
            var engine = SyncEngine(configuration: .init(), now: 0, random: SeededRandom(state: seed))
            var now = 0.0
            var attempting = false
            for kind in kinds {
                let event: SyncEngine<SeededRandom>.Event = switch kind {
                case 0: .timerFired
                case 1: .localEdit
                case 2: .succeeded
                default: .failed([.unreachable, .timeout, .status(500), .badBody][Int(seed % 4)])
                }
                let action = engine.handle(event, now: now)
                switch action {
                case .sync:
                    #expect(!attempting)
                    attempting = true
                case .wait(let until):
                    if case .syncing = engine.state { #expect(until == .infinity) } else {
                        #expect(until >= now)
                        #expect(until - now <= 300)
                    }
                    if kind >= 2 { attempting = false }
                    if until.isFinite { now = max(now, until) }
                }
                now += 0.25
            }
        }
    }
}
