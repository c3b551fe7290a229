/// YishiSync: how a station talks to the central node — the wire format, the libcurl
/// client and the sync engine that decides when to try again.

/// Why a sync attempt failed, told apart because each calls for a different response.
public enum SyncFailure: Error, Hashable, Sendable {
    /// No route, connection refused, DNS failure: the central is out of reach.
    case unreachable
    /// Connected, but no complete answer in time (or too slow: the low-speed limit).
    case timeout
    /// The central's certificate could not be verified (or no TLS connection was made):
    /// why, for people.
    case tls(String)
    /// The central answered with this HTTP status.
    case status(Int)
    /// The answer was cut short or could not be read.
    case badBody
    /// The central refused this station (unknown, revoked, bad signature): retrying soon
    /// will not help; a person has to act.
    case refused(String)
    /// This station's own replica failed (disk full, damaged journal): not the network's fault.
    case local(String)
    /// What the central sent could not be proved to come from its origins (YishiTrust):
    /// nothing of it was applied; the next sync asks again.
    case untrusted(String)

    /// For people: what went wrong, in Chinese.
    public var message: String {
        switch self {
        case .unreachable: "连不上中心（网络不通或中心未运行），稍后自动重试。"
        case .timeout: "连接中心超时或网速过慢，稍后自动重试。"
        case .tls(let why): "中心的证书验证失败：\(why)。请检查站点配置的 ca_file 和中心地址；没有自动改用不加密的连接。"
        case .status(let code): "中心返回错误（HTTP \(code)），稍后自动重试。"
        case .badBody: "中心的回复不完整或无法读取，稍后自动重试。"
        case .refused(let reason): "中心拒绝了本站：\(reason)"
        case .local(let problem): "本站数据出错：\(problem)"
        case .untrusted(let problem): problem
        }
    }

    /// Whether the failure says the network is down rather than something being wrong.
    var meansOffline: Bool {
        switch self {
        case .unreachable, .timeout: true
        default: false
        }
    }
}
