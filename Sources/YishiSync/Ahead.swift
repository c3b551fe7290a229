import Foundation

/// Work done on its own thread while sync does the step before it: the next pull batch
/// fetched while one is applied, the next push batch read and encoded while one is sent.
///
/// A thread, not a task: the work is blocking libcurl, file reads and decoding, and sync
/// itself runs on a thread of its own (the daemon's sync loop, the command line), never in
/// async code.
final class Ahead<Value: Sendable>: @unchecked Sendable {
    // Written once by the working thread before `done` is signalled, read only after.
    private var result: Result<Value, SyncFailure>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws(SyncFailure) -> Value) {
        Thread.detachNewThread { [self] in
            do throws(SyncFailure) {
                result = .success(try work())
            } catch {
                result = .failure(error)
            }
            done.signal()
        }
    }

    /// The result, once there; waits for it. The signal is given back, so a second wait
    /// (the session's cleanup after a failure) returns at once.
    func wait() -> Result<Value, SyncFailure> {
        done.wait()
        defer { done.signal() }
        return result!
    }
}
