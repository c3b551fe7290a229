/// YishiHTTP: the request context both servers build (the central with its office desk and
/// residents' board, the station with its desk and board). It is Hummingbird's basic
/// context plus the peer's address, which the residents' board needs for its per-address
/// limits and Hummingbird's basic context does not keep.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

public struct YishiRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Who sent the request, for limits: the peer's address, or — when the peer is a
    /// reverse proxy the box's config names (`trusted_proxies`) — the last address it added
    /// to `X-Forwarded-For`. A header from anywhere else is not believed: anyone could write
    /// it, loopback included (any local program can connect there).
    public func client(_ request: Request) -> String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        guard TrustedProxies.contains(peer),
              let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").last
        else { return peer }
        let address = forwarded.trimmingCharacters(in: .whitespaces)
        return address.isEmpty ? peer : address
    }
}

/// The reverse proxies whose `X-Forwarded-For` a server believes (`trusted_proxies` in its
/// config): none unless named. Set once as the daemon starts, before it serves.
public enum TrustedProxies {
    private static let addresses = Mutex<Set<String>>([])

    public static func set(_ list: [String]) {
        addresses.withLock { $0 = Set(list) }
    }

    public static func contains(_ address: String) -> Bool {
        let bare = address.hasPrefix("::ffff:") ? String(address.dropFirst(7)) : address
        return addresses.withLock { $0.contains(address) || $0.contains(bare) }
    }
}
