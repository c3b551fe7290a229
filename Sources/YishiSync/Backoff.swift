/// How long to wait before the next attempt after `failures` failures in a row:
/// exponential, capped, with jitter so that fifty stations coming back at once after a
/// street-wide outage do not all knock at the same second.
public struct Backoff: Hashable, Sendable {
    public var base: Double
    public var cap: Double

    public init(base: Double = 2, cap: Double = 300) {
        self.base = base
        self.cap = cap
    }

    /// The ceiling for this many failures: base · 2^(failures − 1), at most `cap`.
    public func ceiling(afterFailures failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        let exponent = min(failures - 1, 30)
        return min(cap, base * Double(1 << exponent))
    }

    /// "Equal jitter": half the ceiling for sure, the other half at random. The wait never
    /// shrinks below half of what the failure count calls for, and never exceeds the cap.
    public func delay(afterFailures failures: Int, using random: inout some RandomNumberGenerator) -> Double {
        let ceiling = ceiling(afterFailures: failures)
        return ceiling / 2 + Double.random(in: 0...(ceiling / 2), using: &random)
    }
}
