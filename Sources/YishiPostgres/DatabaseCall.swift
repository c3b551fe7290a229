import Synchronization

/// Every request to the database, made within `limit`, its failures as ours
/// (DatabaseError.wrapping): a server that does not answer becomes CentralUnavailable, a
/// 503 for a station, which comes back later.
///
/// Why a deadline of our own: with the server down, PostgresNIO's pool keeps trying to
/// connect and a lease waits with it, for up to a minute before its circuit breaker trips,
/// and a lease does not end when its task is cancelled. So the work is not awaited past
/// the limit (a task group would wait for it): it is cancelled and left to finish on its
/// own. Should it store after all, the station's retry is a duplicate, and stored once.
func database<T: Sendable>(within limit: Duration = .seconds(10), _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    let race = Race<T>()
    return try await withCheckedThrowingContinuation { continuation in
        race.start(continuation)
        // The timer is cancelled when the work ends first, so that a busy process does
        // not keep a sleeping task per request for the whole limit.
        let timer = Task {
            try await Task.sleep(for: limit)
            return race.finish(with: .failure(DatabaseError.unavailable("\(limit.components.seconds) 秒内没有回应")))
        }
        let task = Task {
            do {
                race.finish(with: .success(try await work()))
            } catch {
                race.finish(with: .failure(DatabaseError.wrapping(error)))
            }
            timer.cancel()
        }
        Task { if (try? await timer.value) == true { task.cancel() } }
    }
}

/// The first of two outcomes, handed to a continuation once.
private final class Race<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, any Error>?, done: Bool)>((nil, false))

    func start(_ continuation: CheckedContinuation<Value, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Resumes with `result` if nothing has yet; true if this call did.
    @discardableResult
    func finish(with result: Result<Value, any Error>) -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            guard !state.done else { return nil }
            state.done = true
            return state.continuation
        }
        continuation?.resume(with: result)
        return continuation != nil
    }
}
