import Foundation
import YishiMerge
import YishiStore

/// What one sync did.
public struct SyncReport: Sendable, Equatable {
    public var pushed = 0
    public var pulled = 0
    public var applied = 0
    /// The central's clock minus this box's, in milliseconds, from the last answer.
    public var clockSkew: Int64?
    /// Bytes on the wire (compressed bodies), both ways.
    public var bytesSent = 0
    public var bytesReceived = 0

    public init() {}
}

/// One sync of a station with the central: push everything not yet acknowledged, in
/// bounded batches, then pull everything after the cursor. Every step is idempotent, so a
/// sync cut off at any byte is simply run again.
public struct SyncSession: Sendable {
    public let replica: Replica
    public let client: CurlClient
    /// `http://127.0.0.1:8080`
    public let central: String
    public let key: StationKey

    public init(replica: Replica, client: CurlClient, central: String, key: StationKey) {
        self.replica = replica
        self.client = client
        self.central = central.hasSuffix("/") ? String(central.dropLast()) : central
        self.key = key
    }

    /// `shouldContinue` is asked between batches: a daemon told to stop finishes the batch
    /// in hand (each is one transaction) and then returns.
    public func run(progress: ((String) -> Void)? = nil, shouldContinue: () -> Bool = { true }) throws(SyncFailure) -> SyncReport {
        var report = SyncReport()
        try push(&report, progress, shouldContinue)
        try pull(&report, progress, shouldContinue)
        return report
    }

    private func push(_ report: inout SyncReport, _ progress: ((String) -> Void)?, _ shouldContinue: () -> Bool) throws(SyncFailure) {
        while shouldContinue() {
            let waiting = try storage { try replica.outbox(limit: WireFormat.maxOpsPerBatch) }
            var lines: [String] = []
            var bytes = 0
            for line in waiting where lines.isEmpty || bytes + line.utf8.count <= WireFormat.maxBatchBytes {
                lines.append(line)
                bytes += line.utf8.count + 1
            }
            guard !lines.isEmpty else { return }
            let body = OpBundle.encode(from: replica.replica, community: replica.community, lines: lines)
            let answer = try send(WireFormat.pushPath, body, &report)
            guard let receipt = WireFormat.decode(WireFormat.PushReceipt.self, answer) else { throw .badBody }
            try storage { try replica.acknowledge(upTo: receipt.acknowledged) }
            report.pushed += lines.count
            report.clockSkew = receipt.time - Self.now
            progress?("已上传 \(report.pushed) 条修改")
        }
    }

    private func pull(_ report: inout SyncReport, _ progress: ((String) -> Void)?, _ shouldContinue: () -> Bool) throws(SyncFailure) {
        while shouldContinue() {
            let cursor = try storage { try replica.number("pull_cursor") }
            let answer = try send(WireFormat.pullPath, WireFormat.json(WireFormat.PullRequest(cursor: cursor, limit: WireFormat.maxOpsPerBatch)), &report)
            guard let newline = answer.firstIndex(of: 0x0A),
                  let header = WireFormat.decode(WireFormat.PullHeader.self, Array(answer[..<newline])),
                  let bundle = try? OpBundle.decode(Array(answer[(newline + 1)...]), file: "pull")
            else { throw .badBody }
            let applied = try storage { try replica.receive(bundle.ops, setting: ["pull_cursor": header.cursor]) }
            report.pulled += bundle.ops.count
            report.applied += applied.applied
            report.clockSkew = header.time - Self.now
            if !bundle.ops.isEmpty { progress?("已下载 \(report.pulled) 条修改") }
            if !header.more { return }
        }
    }

    /// POSTs a gzipped, signed body and returns the (decompressed) answer.
    private func send(_ path: String, _ body: [UInt8], _ report: inout SyncReport) throws(SyncFailure) -> [UInt8] {
        let sequence = try storage { try replica.nextNumber("request_sequence") }
        let compressed = Gzip.compress(body)
        let headers = RequestSignature.headers(key: key, station: replica.replica.rawValue, sequence: sequence,
                                               time: Self.now, path: path, body: compressed)
        let response = try client.post(central + path, headers: headers, body: compressed)
        report.bytesSent += compressed.count
        report.bytesReceived += response.wireBytes
        switch response.status {
        case 200: return response.body
        case 401, 403:
            throw .refused(WireFormat.decode(WireFormat.Refusal.self, response.body)?.error ?? "中心拒绝了本站的请求（HTTP \(response.status)）")
        default: throw .status(response.status)
        }
    }

    /// A local storage failure during sync is not a network failure; it is reported as is.
    private func storage<T>(_ body: () throws -> T) throws(SyncFailure) -> T {
        do { return try body() } catch { throw .local(String(describing: error)) }
    }

    static var now: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
