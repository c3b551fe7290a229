import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import YishiHTTP
import YishiMerge
import YishiStore
import YishiSync
import YishiTrust

/// The central node's HTTP server (Hummingbird 2): `/v1/push`, `/v1/pull`, `/v1/hello`,
/// `/healthz`, `/metrics`. Every sync request is authenticated per station; the store's work
/// (SQLite off the event loop, or PostgreSQL) is behind `CentralStore`.
public struct CentralServer: Sendable {
    public let store: any CentralStore
    /// This process's own name for itself in bundles (`central`).
    let origin: ReplicaID
    /// Where residents open the board (`public_url`), told to stations with every pull.
    public let publicURL: String?
    /// Every community's directory of keys, signed by the street (handed out with pulls).
    public let directories: CentralDirectory
    /// Who may read `/metrics` and what `/healthz` says beyond ok.
    public let monitoring: Monitoring
    let metrics = CentralMetrics()
    /// Requests reading their bodies before their signatures could be checked, at once: 16
    /// in all (at most 32 MB held for strangers), 8 from one address (stations behind one
    /// NAT or VPN gateway share theirs); the others wait up to 10 s for their turn.
    let unverifiedBodies = Gate(limit: 16, perAddress: 8)

    public init(node: CentralNode, publicURL: String? = nil, monitoring: Monitoring = Monitoring()) {
        self.init(store: node, origin: node.replica.replica, street: node.street, publicURL: publicURL, monitoring: monitoring)
    }

    public init(store: any CentralStore, origin: ReplicaID, street: StreetKey, publicURL: String? = nil, monitoring: Monitoring = Monitoring()) {
        self.store = store
        self.origin = origin
        self.publicURL = publicURL
        self.monitoring = monitoring
        directories = CentralDirectory(street: street, stations: store.stations) { origin, key in
            try await store.checkpointReach(origin: origin, key: key)
        }
    }

    var street: SigningKey { directories.street.signing }

    /// Serves until SIGTERM or SIGINT; `onRunning` gets the bound port (useful with port 0).
    /// `routes` adds the office desk's pages to the same router (and port) as sync. With
    /// `tls` (see CentralCertificates), only HTTPS is served on the port. `limits` bound what
    /// one client holds of it (idle connections, connections per address).
    public func run(host: String, port: Int, tls: TLSConfiguration? = nil, limits: ConnectionLimits = ConnectionLimits(),
                    routes: (Router<YishiRequestContext>) -> Void = { _ in }, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router(context: YishiRequestContext.self)
        routes(router)
        addMonitoringRoutes(to: router)
        router.post("v1/push") { request, context in await respond(context.logger) { try await push(request, context) } }
        router.post("v1/pull") { request, context in await respond(context.logger) { try await pull(request, context) } }
        router.post("v1/hello") { request, context in await respond(context.logger) { try await hello(request, context) } }
        let app = Application(
            router: router,
            server: try tls.map { try .tls(limits.server(), tlsConfiguration: $0) } ?? limits.server(),
            configuration: .init(address: .hostname(host, port: port), serverName: "yishi-central"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) })
        try await app.runService()
    }

    /// The answer to a sync request, or its refusal: a person's reason for what the station
    /// can act on, and for an internal fault only that it happened (the detail goes to the
    /// log, not to whoever asked).
    private func respond(_ logger: Logger, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as CentralUnavailable {
            // The station backs off and sends the same request again later.
            metrics.refused("unavailable")
            return refusal(CentralError(status: .serviceUnavailable, reason: "unavailable", message: error.description))
        } catch let error as CentralError {
            metrics.refused(error.reason)
            return refusal(error)
        } catch let error as StoreError where error.isRefusedOp {
            // An op no replica would apply (a field written as another kind, a sentence that is
            // not there, a dot used twice): refused, and retrying will not change it.
            metrics.refused("refused_op")
            return refusal(CentralError.forbidden("refused_op", error.description))
        } catch let error as MergeError {
            metrics.refused("refused_op")
            return refusal(CentralError.forbidden("refused_op", error.description))
        } catch {
            metrics.refused("internal")
            logger.error("同步请求处理失败：\(error)")
            return refusal(CentralError(status: .internalServerError, reason: "internal", message: "中心内部出错（已记入中心的日志），稍后自动重试。"))
        }
    }

    private func refusal(_ error: CentralError) -> Response {
        Response(status: error.status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.body)))
    }

    /// How many of a replica's ops are held without a gap; 0 for an id that cannot be one.
    func held(_ origin: ReplicaID?) async throws -> UInt64 {
        guard let origin else { return 0 }
        return try await store.held(of: origin)
    }

    func json(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static var now: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// Runs blocking work (SQLite, fsync) on a thread of its own, not on the event loop.
public func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
