/// YishiHTTP: the request context both servers build (the central with its office desk and
/// residents' board, the station with its desk and board). It is Hummingbird's basic
/// context plus the peer's address, which the residents' board needs for its per-address
/// limits and Hummingbird's basic context does not keep.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

public struct YishiRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Who sent the request, for limits: the peer's address, or — when the peer is a
    /// reverse proxy on this same box (loopback) — the last address it added to
    /// `X-Forwarded-For`. A header from anywhere else is not believed: anyone could write it.
    public func client(_ request: Request) -> String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        guard peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("::ffff:127."),
              let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").last
        else { return peer }
        let address = forwarded.trimmingCharacters(in: .whitespaces)
        return address.isEmpty ? peer : address
    }
}
