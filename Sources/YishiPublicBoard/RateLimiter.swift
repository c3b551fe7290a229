import Foundation

/// How often one address may do something (submit a matter, look up a receipt): at most
/// `limit` times in a window of `window` seconds. Kept in memory, per process: a board
/// that restarts forgives, which is the right side to err on for residents. The sync
/// endpoints never pass through it; they keep their own budget.
final class RateLimiter: @unchecked Sendable {
    let limit: Int
    let window: TimeInterval
    private var windows: [String: (start: Date, count: Int)] = [:]
    private let lock = NSLock()

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Takes one go for `key`, or says when the next one is allowed.
    func take(_ key: String, now: Date = Date()) -> Date? {
        lock.lock()
        defer { lock.unlock() }
        // A district's worth of addresses, then the expired ones go.
        if windows.count > 10_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < window } }
        var entry: (start: Date, count: Int) = windows[key].flatMap { now.timeIntervalSince($0.start) < window ? $0 : nil } ?? (now, 0)
        guard entry.count < limit else { return entry.start.addingTimeInterval(window) }
        entry.count += 1
        windows[key] = entry
        return nil
    }
}
