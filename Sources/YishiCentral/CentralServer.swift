import Foundation
import HTTPTypes
import Hummingbird
import YishiHTTP
import HummingbirdTLS
import NIOCore
import NIOSSL
import YishiMerge
import YishiStore
import YishiSync
import YishiTrust

/// The central node's HTTP server (Hummingbird 2): `/v1/push`, `/v1/pull`, `/healthz`,
/// `/metrics`. Every sync request is authenticated per station; the store's work (SQLite
/// off the event loop, or PostgreSQL) is behind `CentralStore`.
public struct CentralServer: Sendable {
    public let store: any CentralStore
    /// This process's own name for itself in bundles (`central`).
    let origin: ReplicaID
    /// Where residents open the board (`public_url`), told to stations with every pull.
    public let publicURL: String?
    /// Every community's directory of keys, signed by the street (handed out with pulls).
    public let directories: CentralDirectory
    let metrics = CentralMetrics()

    public init(node: CentralNode, publicURL: String? = nil) {
        self.init(store: node, origin: node.replica.replica, street: node.street, publicURL: publicURL)
    }

    public init(store: any CentralStore, origin: ReplicaID, street: StreetKey, publicURL: String? = nil) {
        self.store = store
        self.origin = origin
        self.publicURL = publicURL
        directories = CentralDirectory(street: street, stations: store.stations) { origin, key in
            try await store.checkpointReach(origin: origin, key: key)
        }
    }

    var street: SigningKey { directories.street.signing }

    /// Serves until SIGTERM or SIGINT; `onRunning` gets the bound port (useful with port 0).
    /// `routes` adds the office desk's pages to the same router (and port) as sync. With
    /// `tls` (see CentralCertificates), only HTTPS is served on the port.
    public func run(host: String, port: Int, tls: TLSConfiguration? = nil, routes: (Router<YishiRequestContext>) -> Void = { _ in },
                    onRunning: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router(context: YishiRequestContext.self)
        routes(router)
        router.get("healthz") { _, _ in
            do {
                return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n" + (try await store.health()))))
            } catch {
                return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: "\(error)\n")))
            }
        }
        router.get("metrics") { _, _ in
            let text = metrics.exposition(lag: try await lag())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.post("v1/push") { request, _ in await respond { try await push(request) } }
        router.post("v1/pull") { request, _ in await respond { try await pull(request) } }
        router.post("v1/hello") { request, _ in await respond { try await hello(request) } }
        let app = Application(
            router: router,
            server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname(host, port: port), serverName: "yishi-central"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) })
        try await app.runService()
    }

    private func respond(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as CentralUnavailable {
            // The station backs off and sends the same request again later.
            metrics.refused("unavailable")
            let refusal = CentralError(status: .serviceUnavailable, reason: "unavailable", message: error.description)
            return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: refusal.body)))
        } catch let error as CentralError {
            metrics.refused(error.reason)
            return Response(status: error.status, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.body)))
        } catch {
            metrics.refused("internal")
            let refusal = CentralError(status: .internalServerError, reason: "internal", message: "中心内部错误：\(error)")
            return Response(status: .internalServerError, body: ResponseBody(byteBuffer: ByteBuffer(bytes: refusal.body)))
        }
    }

    /// Stores a station's ops, once each, after checking that every one is the station's
    /// own and in its community; answers with how far its ops are now stored.
    private func push(_ request: Request) async throws -> Response {
        let (station, body, key) = try await authenticate(request, path: WireFormat.pushPath)
        let bundle: OpBundle
        do {
            bundle = try OpBundle.decode(body, file: "上传的数据")
        } catch {
            throw CentralError.badRequest("bad_batch", error.description)
        }
        guard bundle.ops.count <= WireFormat.maxOpsPerBatch else {
            throw CentralError(status: .contentTooLarge, reason: "too_many_ops",
                               message: "一次最多上传 \(WireFormat.maxOpsPerBatch) 条修改，这次有 \(bundle.ops.count) 条。")
        }
        // A replacement box also hands on its former boxes' ops (recovered from the old disk).
        let origins = bundle.ops.contains { $0.dot.replica.rawValue != station.replica }
            ? Set(try await store.stations.formerReplicas(of: station.id) + [station.replica]) : [station.replica]
        for op in bundle.ops {
            guard origins.contains(op.dot.replica.rawValue) else {
                throw CentralError.forbidden("foreign_dot", "站点 \(station.id) 上传了编号属于 \(op.dot.replica) 的修改 \(op.dot)；只能上传本站自己的修改。")
            }
            guard op.scope == station.community else {
                throw CentralError.forbidden("out_of_scope", "修改 \(op.dot) 属于社区 \(op.scope)，站点 \(station.id) 只能修改社区 \(station.community) 的记录。")
            }
        }
        let duplicates = try await storeProved(bundle, from: station, origins: origins)
        metrics.stored(bundle.ops.count - duplicates, duplicates: duplicates)
        let acknowledged = bundle.ops.map(\.dot.counter).max() ?? 0
        let receipt = WireFormat.PushReceipt(
            acknowledged: acknowledged, stored: bundle.ops.count - duplicates, duplicates: duplicates, time: Self.now, key: key)
        return json(WireFormat.json(receipt))
    }

    /// Stores a push after checking it as every replica would: each origin's runs proved by
    /// its own key (or, for a box on the previous release and for a former box's ops its
    /// replacement hands on, attested by the street, which the signed request vouches for),
    /// and the rules of origin. A box's first signed push records what it wrote before it
    /// signed; from then on the central refuses its unsigned ops.
    private func storeProved(_ bundle: OpBundle, from station: StationRegistry.Station, origins: Set<String>) async throws -> Int {
        var (directory, _) = try await directories.directory(for: station.community)
        var attesting: Set<ReplicaID> = []
        var signing: (origin: String, legacy: UInt64)?
        for origin in Set(bundle.ops.map(\.dot.replica)) {
            let index = directory.origins.firstIndex { $0.origin == origin }
            let legacy = index.flatMap { directory.origins[$0].legacy }
            let signed = bundle.proofs.contains { $0.origin == origin && !$0.checkpoints.isEmpty }
            if origin.rawValue != station.replica {
                // A former box's ops, recovered from its disk: its own checkpoints if it had
                // signed them, else the street's word for what its replacement hands on.
                attesting.insert(origin)
            } else if !signed {
                if case .through = legacy {
                    throw CentralError.forbidden("unsigned", "站点 \(station.id) 的这批修改没有签名，而它此前已开始签名：可能装回了旧版本的 yishi，或数据被改动过。请把站点升级到最新版本后再同步。")
                }
                // A box on the previous release: the street attests what it pushes, all of it
                // written under the old rules. Recorded before the ops go in, so no directory
                // handed out with them says otherwise.
                attesting.insert(origin)
                if legacy == nil, try await store.stations.noteUnsigned(origin.rawValue) { directories.forget(station.community) }
                if let index { directory.origins[index].legacy = .unsigned }
            } else if legacy == nil || legacy == .unsigned {
                // Its first signed push: only what this push holds can have been written
                // before it signed.
                let last = bundle.ops.filter { $0.dot.replica == origin }.map(\.dot.counter).max() ?? 0
                let declared = min(bundle.legacyThrough ?? 0, last)
                signing = (origin.rawValue, declared)
                if let index { directory.origins[index].legacy = .through(declared) }
            }
        }
        let duplicates: Int
        do {
            duplicates = try await store.store(bundle.ops, proofs: bundle.proofs, directory: directory, street: street, attesting: attesting)
        } catch let error as StoreError where error.provenance != nil {
            throw CentralError.forbidden("unproved", error.description)
        }
        if let signing, try await store.stations.noteSigning(signing.origin, legacyThrough: signing.legacy) {
            directories.forget(station.community)
        }
        return duplicates
    }

    /// Sends a station what arrived after its cursor in its community, made elsewhere.
    private func pull(_ request: Request) async throws -> Response {
        let (station, body, key) = try await authenticate(request, path: WireFormat.pullPath)
        guard let ask = WireFormat.decode(WireFormat.PullRequest.self, body) else {
            throw CentralError.badRequest("bad_pull", "下载请求格式不对。")
        }
        let limit = max(1, min(ask.limit, WireFormat.maxOpsPerBatch))
        let replica = ReplicaID(rawValue: station.replica)
        let found = try await store.arrivals(after: ask.cursor, scope: station.community, excluding: ask.own == true ? nil : replica,
                                             limit: limit)
        let (lines, cursor, more) = (found.lines, found.cursor, found.more)
        let attached = try await proofs(of: found, for: station, asked: ask)
        try await store.stations.record(cursor: cursor, for: station.id)
        let remaining = more ? try await store.arrivalCount(after: cursor, scope: station.community) : 0
        let yours = try await held(replica)
        var answer = WireFormat.json(WireFormat.PullHeader(cursor: cursor, more: more, time: Self.now, yours: yours, key: key, board: publicURL,
                                                           remaining: remaining))
        answer.append(0x0A)
        if ask.wire == WireFormat.compactWire {
            let ops = try await offloaded { try lines.map { try OpCodec.decode(Array($0.utf8)) } }
            answer += OpBundle.encodeCompact(from: origin, community: station.community, ops: ops, attaching: attached)
        } else {
            answer += OpBundle.encode(from: origin, community: station.community, lines: lines, attaching: attached)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson", .contentEncoding: "gzip"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: Gzip.compress(answer))))
    }

    /// What proves a pull's ops: a proof per run, the community's directory when the station
    /// holds an older one, and checkpoints at the heads it asked about. A station of the
    /// previous release asks for none of this and ignores what it is sent.
    private func proofs(of found: Arrivals, for station: StationRegistry.Station, asked ask: WireFormat.PullRequest) async throws
        -> OpBundle.Attachments
    {
        let (directory, signed) = try await directories.directory(for: station.community)
        let runs = ChainRun.spans(of: found.dots)
        let proofs = runs.isEmpty ? [] : try await store.proofs(for: runs, directory: directory, street: street)
        var heads: [(origin: ReplicaID, counter: UInt64)] = []
        for (name, counter) in (ask.attest ?? [:]).sorted(by: { $0.key < $1.key }).prefix(100) {
            if let origin = ReplicaID(rawValue: name), directory.knows(origin) { heads.append((origin, counter)) }
        }
        let attestations = heads.isEmpty ? [] : try await store.attestations(for: heads, directory: directory, street: street)
        return OpBundle.Attachments(proofs: proofs, directory: (ask.directory ?? 0) < directory.serial ? signed : nil,
                                    attestations: attestations)
    }

    /// Tells a station who it is here: its replica id (a replacement box learns its own),
    /// and its former boxes with how many of their ops the central holds.
    private func hello(_ request: Request) async throws -> Response {
        let (station, _, key) = try await authenticate(request, path: WireFormat.helloPath)
        var former: [WireFormat.Hello.Former] = []
        for id in try await store.stations.formerReplicas(of: station.id) {
            former.append(WireFormat.Hello.Former(replica: id, have: try await held(ReplicaID(rawValue: id))))
        }
        let yours = try await held(ReplicaID(rawValue: station.replica))
        let hello = WireFormat.Hello(station: station.id, community: station.community, replica: station.replica, former: former,
                                     yours: yours, time: Self.now, key: key)
        return json(WireFormat.json(hello))
    }

    /// Checks who sent the request: an enrolled, unrevoked station, a valid signature
    /// over this very body, and a sequence higher than any before. Returns the station,
    /// the decompressed body, and `next` when the station's second signature (a rotated
    /// key, see `RequestSignature.nextSignatureHeader`) is the one that matched.
    private func authenticate(_ request: Request, path: String) async throws -> (StationRegistry.Station, [UInt8], String?) {
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { request.headers[$0] } }
        guard let id = header(RequestSignature.stationHeader), let sequenceText = header(RequestSignature.sequenceHeader),
              let sequence = UInt64(sequenceText), let timeText = header(RequestSignature.timeHeader), let time = Int64(timeText),
              let signature = header(RequestSignature.signatureHeader)
        else { throw CentralError.unauthorized("unsigned", "请求没有站点签名。") }
        let next = header(RequestSignature.nextSignatureHeader)
        let compressed = Array(buffer: try await request.body.collect(upTo: WireFormat.maxBodyBytes))
        guard let station = try await store.stations.station(id) else {
            throw CentralError.unauthorized("unknown_station", "站点 \(id) 尚未在中心登记：请街道管理员运行 yishi central enroll。")
        }
        guard !station.revoked else {
            throw CentralError.forbidden("revoked", "站点 \(id) 已被停用，请联系街道管理员。")
        }
        let message = RequestSignature.message(method: "POST", path: path, body: compressed, station: id, sequence: sequence, time: time)
        let signatures = [signature] + (next.map { [$0] } ?? [])
        guard let matched = signatures.firstIndex(where: { StationKey.verify(publicKey: station.publicKey, signature: $0, message: message) }) else {
            let retired = try await store.stations.retiredKeys(of: id)
            if retired.contains(where: { key in signatures.contains { StationKey.verify(publicKey: key, signature: $0, message: message) } }) {
                throw CentralError.forbidden("revoked_key", "站点 \(id) 用的是已停用的旧密钥（站点换了新密钥或新设备）。若这台设备仍在使用，请运行 yishi key rotate 并请街道管理员登记新公钥。")
            }
            throw CentralError.unauthorized("bad_signature", "签名不对：本站密钥与中心登记的公钥不一致，或数据在途中被改动。")
        }
        guard try await store.stations.claim(sequence: sequence, for: id) else {
            throw CentralError.unauthorized("replay", "这个请求已经处理过（重放），已拒绝。")
        }
        try await store.stations.record(contact: Self.now, stationTime: time, for: id)
        let key = matched == 1 ? "next" : nil
        guard request.headers[.contentEncoding] == "gzip" else { return (station, compressed, key) }
        do {
            return (station, try Gzip.decompress(compressed, limit: WireFormat.maxBodyBytes), key)
        } catch {
            throw CentralError.badRequest("bad_compression", "上传的数据无法解压（可能传输中断），请重试。")
        }
    }

    /// How many of a replica's ops are held without a gap; 0 for an id that cannot be one.
    private func held(_ origin: ReplicaID?) async throws -> UInt64 {
        guard let origin else { return 0 }
        return try await store.held(of: origin)
    }

    private func lag() async throws -> [(station: String, ops: Int)] {
        var lags: [(station: String, ops: Int)] = []
        for station in try await store.stations.stations() { lags.append((station.id, try await store.lag(of: station))) }
        return lags
    }

    private func json(_ bytes: [UInt8]) -> Response {
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
