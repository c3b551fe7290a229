import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import YishiHTTP

/// Who may read what the central says about itself: `/metrics` (station ids, lags, refusals)
/// and the details of `/healthz` (the database, the view, ops it set aside). Its monitoring
/// addresses (`monitoring_addresses` in central.toml; this box itself when none are given)
/// or a request with the token (`monitoring_token_file`, sent as `Authorization: Bearer …`).
/// Anyone else gets `/healthz`'s ok or 503, and nothing at `/metrics`.
public struct Monitoring: Sendable {
    public var addresses: Set<String>
    public var token: String?

    public init(addresses: [String] = ["127.0.0.1", "::1"], token: String? = nil) {
        self.addresses = Set(addresses)
        self.token = token
    }

    public func allows(_ request: Request, _ context: YishiRequestContext) -> Bool {
        if let token, let given = request.headers[.authorization], given == "Bearer \(token)" { return true }
        guard let peer = context.remoteAddress?.ipAddress else { return false }
        let bare = peer.hasPrefix("::ffff:") ? String(peer.dropFirst(7)) : peer
        return addresses.contains(peer) || addresses.contains(bare)
    }
}

extension CentralServer {
    func addMonitoringRoutes(to router: Router<YishiRequestContext>) {
        router.get("healthz") { request, context in
            let detailed = monitoring.allows(request, context)
            do {
                let details = try await store.health()
                return Self.text(.ok, "ok\n" + (detailed ? details : ""))
            } catch {
                return Self.text(.serviceUnavailable, detailed ? "\(error)\n" : "中心暂时不能服务。\n")
            }
        }
        router.get("metrics") { request, context in
            guard monitoring.allows(request, context) else { return Self.text(.notFound, "没有这个页面。\n") }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition(lag: try await lag()))))
        }
    }

    private func lag() async throws -> [(station: String, ops: Int)] {
        var lags: [(station: String, ops: Int)] = []
        for station in try await store.stations.stations() { lags.append((station.id, try await store.lag(of: station))) }
        return lags
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
