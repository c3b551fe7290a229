import Foundation
import HTTPTypes
import Hummingbird
import YishiHTTP
import YishiMerge
import YishiSync

extension CentralServer {
    /// Checks who sent the request: an enrolled station, a valid signature over this very
    /// body (made by a key it has not retired), not revoked, and a sequence higher than any
    /// before. Returns the station, the decompressed body, and `next` when the station's
    /// second signature (a rotated key, see `RequestSignature.nextSignatureHeader`) is the
    /// one that matched.
    ///
    /// The body is read only once the headers name an enrolled station and carry signatures
    /// of the right shape, at most `WireFormat.maxCompressedBodyBytes` of it, and by no more
    /// than a few requests at once (`unverifiedBodies`, the rest waiting their turn): a stranger can make the central hold
    /// little before its signature is checked. A stranger is told the same whether the
    /// station it named exists or its signature is wrong.
    func authenticate(_ request: Request, _ context: YishiRequestContext, path: String) async throws -> (StationRegistry.Station, [UInt8], String?) {
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { request.headers[$0] } }
        guard let id = header(RequestSignature.stationHeader), let sequenceText = header(RequestSignature.sequenceHeader),
              let sequence = UInt64(sequenceText), let timeText = header(RequestSignature.timeHeader), let time = Int64(timeText),
              let signature = header(RequestSignature.signatureHeader)
        else { throw CentralError.unauthorized("unsigned", "请求没有站点签名。") }
        let next = header(RequestSignature.nextSignatureHeader)
        let signatures = [signature] + (next.map { [$0] } ?? [])
        guard signatures.allSatisfy({ Data(base64Encoded: $0)?.count == 64 }), let station = try await store.stations.station(id) else {
            throw Self.notAuthenticated
        }
        let address = context.client(request)
        guard await unverifiedBodies.enter(address) else {
            throw CentralError(status: .serviceUnavailable, reason: "busy", message: "中心正忙，稍后自动重试。")
        }
        defer { unverifiedBodies.leave(address) }
        let compressed = try await Self.body(of: request, limit: WireFormat.maxCompressedBodyBytes)
        let message = RequestSignature.message(method: "POST", path: path, body: compressed, station: id, sequence: sequence, time: time)
        guard let matched = signatures.firstIndex(where: { StationKey.verify(publicKey: station.publicKey, signature: $0, message: message) }) else {
            let retired = try await store.stations.retiredKeys(of: id)
            if retired.contains(where: { key in signatures.contains { StationKey.verify(publicKey: key, signature: $0, message: message) } }) {
                throw CentralError.forbidden("revoked_key", "站点 \(id) 用的是已停用的旧密钥（站点换了新密钥或新设备）。若这台设备仍在使用，请运行 yishi key rotate 并请街道管理员登记新公钥。")
            }
            throw Self.notAuthenticated
        }
        guard !station.revoked else {
            throw CentralError.forbidden("revoked", "站点 \(id) 已被停用，请联系街道管理员。")
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

    /// One answer for a station the central does not know and a signature that does not
    /// match: which station ids exist is nobody's business but the office's.
    static let notAuthenticated = CentralError.unauthorized(
        "bad_signature", "请求没有通过验证：本站没有在中心登记，或本站密钥与中心登记的公钥不一致（数据也可能在途中被改动）。请街道管理员核对登记（yishi central enroll）。")

    /// The request's body, at most `limit` bytes, arriving within thirty seconds.
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        do {
            return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask { Array(buffer: try await request.body.collect(upTo: limit)) }
                group.addTask {
                    try await Task.sleep(for: .seconds(30))
                    return nil
                }
                defer { group.cancelAll() }
                guard let body = try await group.next() ?? nil else {
                    throw CentralError(status: .requestTimeout, reason: "slow_body", message: "上传太慢，30 秒内没有传完，稍后自动重试。")
                }
                return body
            }
        } catch let error as CentralError {
            throw error
        } catch {
            throw CentralError(status: .contentTooLarge, reason: "too_large",
                               message: "上传的数据超过 \(limit / 1_000_000) MB（压缩后），没有接收。")
        }
    }
}
