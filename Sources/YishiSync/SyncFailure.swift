/// YishiSync: how a station talks to the central node — the wire format, the libcurl
/// client and the sync engine that decides when to try again.

/// Why a sync attempt failed, told apart because each calls for a different response.
public enum SyncFailure: Hashable, Sendable {
    /// No route, connection refused, DNS failure: the central is out of reach.
    case unreachable
    /// Connected, but no complete answer in time (or too slow: the low-speed limit).
    case timeout
    /// The central's certificate could not be verified.
    case tls
    /// The central answered with this HTTP status.
    case status(Int)
    /// The answer was cut short or could not be read.
    case badBody
    /// The central refused this station (unknown, revoked, bad signature): retrying soon
    /// will not help; a person has to act.
    case refused(String)

    /// Whether the failure says the network is down rather than something being wrong.
    var meansOffline: Bool {
        switch self {
        case .unreachable, .timeout: true
        default: false
        }
    }
}
