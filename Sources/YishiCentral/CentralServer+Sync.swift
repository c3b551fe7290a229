import Foundation
import Hummingbird
import YishiHTTP
import YishiMerge
import YishiModel
import YishiStore
import YishiSync
import YishiTrust

/// The sync endpoints: a push checked and stored, a pull answered with its proofs, and who
/// a station is here.
extension CentralServer {
    /// Stores a station's ops, once each, after checking that every one is the station's
    /// own and in its community; answers with how far its ops are now stored.
    func push(_ request: Request, _ context: YishiRequestContext) async throws -> Response {
        let (station, body, key) = try await authenticate(request, context, path: WireFormat.pushPath)
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
        try await checkRecordNames(bundle.ops, of: station)
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

    /// A record's name says whose it is (`RecordName`): a station of another community may
    /// not write it, not even first, so it can neither change another community's records
    /// nor take the name of one not yet synced (its owner's push would then be refused).
    private func checkRecordNames(_ ops: [Op], of station: StationRegistry.Station) async throws {
        var communities: [String: String?] = [station.id: station.community]
        for record in Set(ops.map(\.record)).sorted() {
            let community: String?
            switch RecordName.owner(of: record) {
            case .community(let name)?:
                community = name
            case .station(let id)?:
                if communities[id] == nil { communities[id] = .some(try await store.stations.station(id)?.community) }
                community = communities[id] ?? nil
            case nil:
                community = nil
            }
            if let community, community != station.community {
                throw CentralError.forbidden("out_of_scope", "记录 \(record) 按编号属于社区 \(community)，站点 \(station.id) 只能修改社区 \(station.community) 的记录。")
            }
        }
    }
    /// Sends a station what arrived after its cursor in its community, made elsewhere.
    func pull(_ request: Request, _ context: YishiRequestContext) async throws -> Response {
        let (station, body, key) = try await authenticate(request, context, path: WireFormat.pullPath)
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
    func hello(_ request: Request, _ context: YishiRequestContext) async throws -> Response {
        let (station, _, key) = try await authenticate(request, context, path: WireFormat.helloPath)
        var former: [WireFormat.Hello.Former] = []
        for id in try await store.stations.formerReplicas(of: station.id) {
            former.append(WireFormat.Hello.Former(replica: id, have: try await held(ReplicaID(rawValue: id))))
        }
        let yours = try await held(ReplicaID(rawValue: station.replica))
        let hello = WireFormat.Hello(station: station.id, community: station.community, replica: station.replica, former: former,
                                     yours: yours, time: Self.now, key: key)
        return json(WireFormat.json(hello))
    }

}
