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
    /// The key `yishi key rotate` made, not yet known to be enrolled: requests carry its
    /// signature too, and the first answer that says the central took it promotes it.
    public let nextKey: StationKey?

    public init(replica: Replica, client: CurlClient, central: String, key: StationKey, nextKey: StationKey? = nil) {
        self.replica = replica
        self.client = client
        self.central = central.hasSuffix("/") ? String(central.dropLast()) : central
        self.key = key
        self.nextKey = nextKey
    }

    /// Reads the station's key (and a rotated one waiting to be enrolled) from its data directory.
    public init(replica: Replica, client: CurlClient, central: String) throws {
        let folder = replica.directory.url
        try self.init(replica: replica, client: client, central: central, key: StationKey.load(from: folder),
                      nextKey: StationKey.loadNext(from: folder))
    }

    /// `shouldContinue` is asked between batches: a daemon told to stop finishes the batch
    /// in hand (each is one transaction) and then returns.
    public func run(progress: ((String) -> Void)? = nil, shouldContinue: () -> Bool = { true }) throws(SyncFailure) -> SyncReport {
        var report = SyncReport()
        try push(&report, progress, shouldContinue)
        // The central may say it holds fewer of this station's ops than it acknowledged (it
        // was restored from a backup): those go up again at once.
        if try pull(&report, progress, shouldContinue) { try push(&report, progress, shouldContinue) }
        return report
    }

    /// Asks the central who a station is to it (see `WireFormat.Hello`), before the box has
    /// a replica (a replacement box learns here which replica id to write under). The
    /// request's sequence is `sequence`; the replica then numbers its requests after it.
    public static func hello(client: CurlClient, central: String, station: String, key: StationKey, sequence: UInt64)
        throws(SyncFailure) -> WireFormat.Hello
    {
        let central = central.hasSuffix("/") ? String(central.dropLast()) : central
        let body = Gzip.compress(Array("{}".utf8))
        let headers = RequestSignature.headers(key: key, station: station, sequence: sequence, time: now,
                                               path: WireFormat.helloPath, body: body)
        let answer = try checked(client.post(central + WireFormat.helloPath, headers: headers, body: body))
        guard let hello = WireFormat.decode(WireFormat.Hello.self, answer) else { throw .badBody }
        return hello
    }

    private func push(_ report: inout SyncReport, _ progress: ((String) -> Void)?, _ shouldContinue: () -> Bool) throws(SyncFailure) {
        while shouldContinue() {
            guard let waiting = try storage({ try replica.nextPush(limit: WireFormat.maxOpsPerBatch) }) else { return }
            var lines: [String] = []
            var bytes = 0
            for line in waiting.lines where lines.isEmpty || bytes + line.utf8.count <= WireFormat.maxBatchBytes {
                lines.append(line)
                bytes += line.utf8.count + 1
            }
            // Compact once the central has said it reads that form; an older central (or one
            // restored to an older build) refuses it whole, and the batch goes again as lines.
            let compact = try storage { try replica.note(Self.centralWireNote) } == String(WireFormat.compactWire)
            let body = compact
                ? OpBundle.encodeCompact(from: replica.replica, community: replica.community,
                                         ops: try storage { try lines.map { try OpCodec.decode(Array($0.utf8)) } })
                : OpBundle.encode(from: replica.replica, community: replica.community, lines: lines)
            let answer: [UInt8]
            do {
                answer = try send(WireFormat.pushPath, body, &report)
            } catch .status(400) where compact {
                try storage { try replica.setNote(Self.centralWireNote, nil) }
                continue
            }
            guard let receipt = WireFormat.decode(WireFormat.PushReceipt.self, answer) else { throw .badBody }
            try keyAccepted(receipt.key)
            try centralReads(receipt.wire)
            try storage { try replica.acknowledge(upTo: receipt.acknowledged, of: waiting.origin) }
            report.pushed += lines.count
            report.clockSkew = receipt.time - Self.now
            progress?("已上传 \(report.pushed) 条修改")
        }
    }

    /// Pulls to the end; true when the central holds fewer of this station's ops than it
    /// had acknowledged, so that they must be pushed again.
    private func pull(_ report: inout SyncReport, _ progress: ((String) -> Void)?, _ shouldContinue: () -> Bool) throws(SyncFailure) -> Bool {
        // A replica restored from a backup takes back its own ops the central holds, before
        // it may write again (see `Replica.restoredFrom`).
        let restored = try storage { try replica.restoredFrom() } != nil
        var pushAgain = false
        while shouldContinue() {
            let cursor = try storage { try replica.number("pull_cursor") }
            let ask = WireFormat.PullRequest(cursor: cursor, limit: WireFormat.maxOpsPerBatch, own: restored ? true : nil)
            let answer = try send(WireFormat.pullPath, WireFormat.json(ask), &report)
            guard let newline = answer.firstIndex(of: 0x0A),
                  let header = WireFormat.decode(WireFormat.PullHeader.self, Array(answer[..<newline])),
                  let bundle = try? OpBundle.decode(Array(answer[(newline + 1)...]), file: "pull")
            else { throw .badBody }
            try keyAccepted(header.key)
            try centralReads(header.wire)
            let applied = try storage { try replica.receive(bundle.ops, setting: ["pull_cursor": header.cursor]) }
            report.pulled += bundle.ops.count
            report.applied += applied.applied
            report.clockSkew = header.time - Self.now
            if !bundle.ops.isEmpty { progress?("已下载 \(report.pulled) 条修改") }
            if let yours = header.yours, try storage({ try replica.acknowledged() }) > yours {
                try storage { try replica.centralHolds(yours) }
                pushAgain = true
            }
            if !header.more {
                if restored { try storage { try replica.clearRestored() } }
                return pushAgain
            }
        }
        return pushAgain
    }

    /// Where the station keeps the batch form the central last said it reads.
    static let centralWireNote = "central_wire"

    /// Remembers that the central reads compact batches (or no longer says so).
    private func centralReads(_ wire: Int?) throws(SyncFailure) {
        let said = wire == WireFormat.compactWire ? String(WireFormat.compactWire) : nil
        if try storage({ try replica.note(Self.centralWireNote) }) != said {
            try storage { try replica.setNote(Self.centralWireNote, said) }
        }
    }

    /// The central took the request by the new key's signature: it is the enrolled one now.
    private func keyAccepted(_ which: String?) throws(SyncFailure) {
        guard which == "next", nextKey != nil else { return }
        try storage { try StationKey.promoteNext(in: replica.directory.url) }
    }

    /// POSTs a gzipped, signed body and returns the (decompressed) answer.
    private func send(_ path: String, _ body: [UInt8], _ report: inout SyncReport) throws(SyncFailure) -> [UInt8] {
        let sequence = try storage { try replica.nextNumber("request_sequence") }
        let compressed = Gzip.compress(body)
        let headers = RequestSignature.headers(key: key, next: nextKey, station: replica.station, sequence: sequence,
                                               time: Self.now, path: path, body: compressed)
        let response = try client.post(central + path, headers: headers, body: compressed)
        report.bytesSent += compressed.count
        report.bytesReceived += response.wireBytes
        return try Self.checked(response)
    }

    /// The body of a 200, or the central's refusal in its own words.
    private static func checked(_ response: CurlResponse) throws(SyncFailure) -> [UInt8] {
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
