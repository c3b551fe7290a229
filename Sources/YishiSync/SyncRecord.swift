import Foundation
import YishiStore

/// How the last sync went, kept with the replica so `yishi status` can tell staff — no
/// matter whether the daemon or `yishi sync --once` did the syncing.
public struct SyncRecord: Sendable {
    /// When the last sync succeeded, ms since 1970; nil if never.
    public var lastSuccess: Int64?
    /// The central's clock minus this box's at that sync.
    public var clockSkew: Int64
    public var lastAttemptFailed: Bool
    /// Why it failed, when it was not just the network (a certificate the station does not
    /// trust, a refusal): something a person has to act on, in SyncFailure's words.
    public var lastFailure: String?

    public static func read(_ replica: Replica) throws -> SyncRecord {
        let last = try replica.number("last_sync_ms")
        return SyncRecord(
            lastSuccess: last == 0 ? nil : Int64(last), clockSkew: Int64(bitPattern: try replica.number("clock_skew_ms")),
            lastAttemptFailed: try replica.number("last_attempt_failed") == 1,
            lastFailure: try replica.note("last_failure"))
    }

    public static func succeeded(_ replica: Replica, _ report: SyncReport) throws {
        var numbers: [String: UInt64] = ["last_sync_ms": UInt64(Date().timeIntervalSince1970 * 1000), "last_attempt_failed": 0]
        if let skew = report.clockSkew { numbers["clock_skew_ms"] = UInt64(bitPattern: skew) }
        try replica.receive([], setting: numbers)
        try replica.setNote("last_failure", nil)
    }

    public static func failed(_ replica: Replica, _ failure: SyncFailure) throws {
        try replica.receive([], setting: ["last_attempt_failed": 1])
        try replica.setNote("last_failure", failure.meansOffline ? nil : failure.message)
    }
}
