import Synchronization

/// Wakes a central process's follower before its interval is up: a push this process has
/// just stored, or the database's notice (NOTIFY) of one stored through another process.
/// Signals that come while the follower is busy are kept as one, so a store made while it
/// was applying is never slept over.
///
/// Written by hand over a continuation: the follower waits for whichever comes first of a
/// signal, its interval and its cancellation, and neither the standard library nor the
/// packages here offer that one-slot event.
final class FollowerWake: Sendable {
    private struct State {
        /// A signal came while nobody waited.
        var pending = false
        var waiting: CheckedContinuation<Void, Never>?
        /// Which wait a timer or a cancellation belongs to, so a late one ends no other.
        var round = 0
        /// A wait whose time ran out (or was cancelled) before it had begun to wait.
        var ended = -1
    }

    private let state = Mutex(State())

    func signal() { end(round: nil) }

    /// Returns at the first signal since the last wait returned, once `interval` has passed,
    /// or when the task is cancelled, whichever comes first.
    func wait(upTo interval: Duration) async {
        let round = state.withLock { state -> Int? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.round += 1
            return state.round
        }
        guard let round else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: interval)
            self?.end(round: round)
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let already = state.withLock { state -> Bool in
                    if state.pending || state.ended == round {
                        state.pending = false
                        return true
                    }
                    state.waiting = continuation
                    return false
                }
                if already { continuation.resume() }
            }
        } onCancel: {
            end(round: round)
        }
    }

    /// Ends the current wait: a signal's (nil) whichever it is, a timer's or a
    /// cancellation's only its own.
    private func end(round: Int?) {
        let waiting = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let round, round != state.round { return nil }
            if let waiting = state.waiting {
                state.waiting = nil
                return waiting
            }
            if let round { state.ended = round } else { state.pending = true }
            return nil
        }
        waiting?.resume()
    }
}
