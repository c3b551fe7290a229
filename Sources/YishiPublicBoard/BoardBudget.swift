import Foundation
import Hummingbird
import YishiHTTP

/// How much of the box the board may take: at most `perSecond` pages a second, whoever
/// asks. The central's two cores are the stations' sync first; a flood of page requests
/// (a crawler, a script, a thousand residents after a notice went up) must not slow it.
/// A request over the budget waits a moment (asleep, costing nothing) for a free place and
/// is then told the board is busy; waiting also slows whoever floods, since a client
/// cannot ask again before it has its answer.
final class BoardBudget: @unchecked Sendable {
    let perSecond: Double
    private var tokens: Double
    /// Seconds on a steady clock: the wall clock may step back (NTP), which must not drain
    /// the bucket.
    private var last: Double
    private let lock = NSLock()

    init(perSecond: Double, now: Double = BoardBudget.seconds()) {
        self.perSecond = perSecond
        tokens = max(1, perSecond)
        last = now
    }

    static func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Takes a place at `now` (seconds on the steady clock), if there is one. Up to a
    /// second's worth of places is kept for a burst.
    func take(now: Double = BoardBudget.seconds()) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        tokens = min(max(1, perSecond), tokens + max(0, now - last) * perSecond)
        last = max(last, now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Takes a place, waiting up to `patience` for one.
    func wait(patience: Duration = .milliseconds(250), now: () -> Double = BoardBudget.seconds) async -> Bool {
        if take(now: now()) { return true }
        try? await Task.sleep(for: patience)
        return take(now: now())
    }
}

/// The budget in front of every board route (never in front of sync, which has none).
struct BudgetMiddleware: RouterMiddleware {
    typealias Context = YishiRequestContext
    let budget: BoardBudget
    let busy: @Sendable () -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard await budget.wait() else {
            var response = busy()
            response.headers[.retryAfter] = "2"
            return response
        }
        return try await next(request, context)
    }
}
