import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import Synchronization

/// What one client may hold of a server: connections idle longer than `idleTimeout` (and
/// ones whose request head is not complete by then) are closed, and one address keeps at
/// most `perAddress` connections open — a new one past that closes the address's oldest
/// idle one, so that a stranger holding hundreds of idle sockets runs out of nothing but
/// its own. The office and a station change them in their config files (PROTOCOL.md,
/// "Limits").
public struct ConnectionLimits: Sendable {
    public var idleTimeout: Duration
    public var perAddress: Int

    public init(idleTimeout: Duration = .seconds(30), perAddress: Int = 64) {
        self.idleTimeout = idleTimeout
        self.perAddress = perAddress
    }

    /// The server builder for Hummingbird: HTTP/1.1 with these limits.
    public func server() -> HTTPServerBuilder {
        let table = ConnectionTable(perAddress: perAddress)
        return .http1(configuration: .init(additionalChannelHandlers: [ConnectionLimiter(table: table)],
                                           idleTimeout: .seconds(idleTimeout.components.seconds)))
    }
}

/// Every open connection by address, with whether it is in the middle of a request.
final class ConnectionTable: Sendable {
    let perAddress: Int
    private let open = Mutex<[String: [Entry]]>([:])

    struct Entry {
        var id: ObjectIdentifier
        var channel: any Channel
        var busy: Bool
    }

    init(perAddress: Int) { self.perAddress = perAddress }

    /// Registers a new connection; returns the connections to close to make room for it.
    func opened(_ channel: any Channel, address: String) -> [any Channel] {
        open.withLock { table in
            var entries = table[address] ?? []
            entries.append(Entry(id: ObjectIdentifier(channel), channel: channel, busy: false))
            var evicted: [any Channel] = []
            while entries.count > perAddress, let oldest = entries.firstIndex(where: { !$0.busy && $0.id != ObjectIdentifier(channel) }) {
                evicted.append(entries.remove(at: oldest).channel)
            }
            table[address] = entries
            return evicted
        }
    }

    func closed(_ channel: any Channel, address: String) {
        open.withLock { table in
            table[address]?.removeAll { $0.id == ObjectIdentifier(channel) }
            if table[address]?.isEmpty == true { table[address] = nil }
        }
    }

    func busy(_ channel: any Channel, address: String, _ busy: Bool) {
        open.withLock { table in
            if let index = table[address]?.firstIndex(where: { $0.id == ObjectIdentifier(channel) }) { table[address]?[index].busy = busy }
        }
    }
}

/// The per-address cap as a channel handler in each connection's pipeline.
final class ConnectionLimiter: ChannelDuplexHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let table: ConnectionTable
    private var address: String?

    init(table: ConnectionTable) { self.table = table }

    func handlerAdded(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        self.address = address
        for channel in table.opened(context.channel, address: address) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let address { table.closed(context.channel, address: address) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let address { table.closed(context.channel, address: address) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data), let address { table.busy(context.channel, address: address, true) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), let address { table.busy(context.channel, address: address, false) }
        context.write(data, promise: promise)
    }
}

/// `Strict-Transport-Security` on every answer, for a server reached only over HTTPS (its
/// own TLS, or `https_proxy` in its config): a browser that has seen it never tries plain
/// HTTP to it again, where a cookie could be read on the way.
public struct StrictTransportSecurity<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000"
        return response
    }
}
