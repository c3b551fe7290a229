/// Decides what the station's sync loop does next. A pure state machine: it is told what
/// happened (a timer fired, staff made an edit, an attempt succeeded or failed) and the
/// current time, and answers with an action. No I/O, so every path is tested directly.
public struct SyncEngine<Random: RandomNumberGenerator & Sendable>: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// Seconds between syncs when all is well.
        public var interval: Double = 60
        /// Seconds after a local edit before syncing it, so a burst of edits goes together.
        public var editDelay: Double = 2
        public var backoff = Backoff()
        /// After this many network failures in a row the station counts as offline.
        public var offlineAfter = 3

        public init() {}
    }

    public enum State: Hashable, Sendable {
        /// Waiting for the next regular sync at `next`.
        case idle(next: Double)
        /// An attempt is under way; `failures` failed before it.
        case syncing(failures: Int)
        /// Waiting after `failures` failures until `until`.
        case backingOff(failures: Int, until: Double, last: SyncFailure)
        /// As backingOff, after enough network failures to call the central unreachable.
        case offline(failures: Int, until: Double, since: Double)
    }

    public enum Event: Hashable, Sendable {
        case timerFired
        case localEdit
        /// A person asked for a sync now (立即同步): it starts at once, even while backing
        /// off — backoff spares the central from automatic retries, not from a person.
        case requested
        case succeeded
        case failed(SyncFailure)
    }

    public enum Action: Hashable, Sendable {
        /// Start an attempt now.
        case sync
        /// Nothing to do before this time.
        case wait(until: Double)
    }

    public let configuration: Configuration
    public private(set) var state: State
    private var random: Random
    /// When the last attempt succeeded, for `yishi status`.
    public private(set) var lastSuccess: Double?

    public init(configuration: Configuration = .init(), now: Double, random: Random) {
        self.configuration = configuration
        self.random = random
        // Sync right away on start: the station may have been off for weeks.
        state = .idle(next: now)
    }

    /// What to do now, after `event` at time `now`.
    public mutating func handle(_ event: Event, now: Double) -> Action {
        switch (state, event) {
        case (.syncing, .timerFired), (.syncing, .localEdit), (.syncing, .requested):
            // An attempt is under way; its outcome decides what comes next.
            return .wait(until: .infinity)

        case (.syncing, .succeeded):
            lastSuccess = now
            return becomeIdle(next: now + configuration.interval, now: now)

        case (.syncing(let failures), .failed(let failure)):
            let count = failures + 1
            let until = now + configuration.backoff.delay(afterFailures: count, using: &random)
            if failure.meansOffline && count >= configuration.offlineAfter {
                let since: Double
                if case .offline(_, _, let earlier) = previousOffline { since = earlier } else { since = now }
                state = .offline(failures: count, until: until, since: since)
            } else {
                state = .backingOff(failures: count, until: until, last: failure)
            }
            previousOffline = state
            return .wait(until: until)

        case (.idle, .requested):
            return startSync(failures: 0)

        case (.backingOff(let failures, _, _), .requested), (.offline(let failures, _, _), .requested):
            return startSync(failures: failures)

        case (.idle(let next), .timerFired):
            return now >= next ? startSync(failures: 0) : .wait(until: next)

        case (.idle(let next), .localEdit):
            return becomeIdle(next: min(next, now + configuration.editDelay), now: now)

        case (.backingOff(let failures, let until, _), .timerFired), (.offline(let failures, let until, _), .timerFired):
            return now >= until ? startSync(failures: failures) : .wait(until: until)

        case (.backingOff, .localEdit), (.offline, .localEdit):
            // Keep the backoff: an edit does not make the central reachable.
            return handle(.timerFired, now: now)

        case (_, .succeeded), (_, .failed):
            // An outcome with no attempt under way is stale: carry on as if the timer fired.
            return handle(.timerFired, now: now)
        }
    }

    /// Remembers an offline spell across attempts, so `since` stays the first failure.
    private var previousOffline: State?

    private mutating func startSync(failures: Int) -> Action {
        state = .syncing(failures: failures)
        return .sync
    }

    private mutating func becomeIdle(next: Double, now: Double) -> Action {
        state = .idle(next: next)
        previousOffline = nil
        return now >= next ? startSync(failures: 0) : .wait(until: next)
    }

    /// True while the central counts as unreachable.
    public var isOffline: Bool {
        if case .offline = state { return true }
        return false
    }
}
