import Foundation
import YishiMerge
import YishiStore
import YishiTrust

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

    /// `shouldContinue` is asked between batches: a daemon told to stop (or a person who
    /// pressed Ctrl+C) finishes the batch in hand (each is one transaction) and then returns.
    /// `progress` hears after every batch how far the push and the pull have got.
    public func run(progress: ((WorkProgress) -> Void)? = nil, shouldContinue: () -> Bool = { true }) throws(SyncFailure) -> SyncReport {
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

    /// Pushes to the end, pipelined like the pull: while one batch is on its way and the
    /// central stores it, the next is read from the journal and encoded on a second thread.
    /// If the central acknowledges other than the batch sent, what was prepared is dropped
    /// and the next batch is read again from what is acknowledged.
    private func push(_ report: inout SyncReport, _ progress: ((WorkProgress) -> Void)?, _ shouldContinue: () -> Bool) throws(SyncFailure) {
        var ahead: Ahead<PushBatch?>?
        // What is queued now, plus what was pushed before (a second push after a restore).
        let total = progress == nil ? 0 : Int64(report.pushed) + Int64(try storage { try replica.outboxCount() })
        defer { _ = ahead?.wait() }
        var next = try preparePush(after: nil)
        while shouldContinue(), let batch = next {
            let sent = (origin: batch.origin, counter: batch.last)
            ahead = Ahead { () throws(SyncFailure) in try preparePush(after: sent) }
            let answer: [UInt8]
            do {
                answer = try send(WireFormat.pushPath, batch.body, &report)
            } catch .status(400) where batch.compact {
                // An older central (or one restored to an older build) refuses compact
                // batches whole: the batch goes again as lines.
                _ = ahead?.wait()
                ahead = nil
                try storage { try replica.setNote(Self.centralWireNote, nil) }
                next = try preparePush(after: nil)
                continue
            }
            guard let receipt = WireFormat.decode(WireFormat.PushReceipt.self, answer) else { throw .badBody }
            try keyAccepted(receipt.key)
            try centralReads(receipt.wire)
            try storage { try replica.acknowledge(upTo: receipt.acknowledged, of: batch.origin) }
            if receipt.acknowledged == batch.last { try storage { try replica.keep(signed: batch.signed) } }
            report.pushed += batch.count
            report.clockSkew = receipt.time - Self.now
            progress?(WorkProgress("上传修改", done: Int64(report.pushed), total: max(total, Int64(report.pushed))))
            let prepared = ahead!.wait()
            ahead = nil
            next = receipt.acknowledged == batch.last ? try prepared.get() : try preparePush(after: nil)
        }
    }

    /// One push batch, read and encoded.
    struct PushBatch: Sendable {
        var origin: ReplicaID
        var body: [UInt8]
        var compact: Bool
        var count: Int
        /// The counter of its last op: what the central acknowledges when it has them all.
        var last: UInt64
        /// What this station signed for it, kept once the central holds the batch.
        var signed: [Checkpoint]
    }

    /// The next batch after `after` (after what the central acknowledged when nil), or nil
    /// when nothing is waiting. Compact once the central has said it reads that form.
    /// Only reads what is stored, so it may run beside the push before it.
    private func preparePush(after: (origin: ReplicaID, counter: UInt64)?) throws(SyncFailure) -> PushBatch? {
        guard let waiting = try storage({ try replica.nextPush(limit: WireFormat.maxOpsPerBatch, after: after) }) else { return nil }
        let count = Self.batchLength(waiting.lines.map(\.utf8.count), maxBytes: WireFormat.maxBatchBytes)
        let lines = Array(waiting.lines.prefix(count))
        let compact = try storage { try replica.note(Self.centralWireNote) } == String(WireFormat.compactWire)
        let attached = try storage { try proof(of: waiting.origin, from: waiting.counters[0], to: waiting.counters[count - 1]) }
        let body = compact
            ? OpBundle.encodeCompact(from: replica.replica, community: replica.community,
                                     ops: try storage { try lines.map { try OpCodec.decode(Array($0.utf8)) } }, attaching: attached)
            : OpBundle.encode(from: replica.replica, community: replica.community, lines: lines, attaching: attached)
        return PushBatch(origin: waiting.origin, body: body, compact: compact, count: count, last: waiting.counters[count - 1],
                         signed: waiting.origin == replica.replica ? attached.proofs.flatMap(\.checkpoints) : [])
    }

    /// What proves a batch of this station's ops to the central: its own signed now, with
    /// the new key too while one waits to be enrolled (the central may hold either), and how
    /// far its ops were written before it signed; a former box's with what it was given.
    private func proof(of origin: ReplicaID, from: UInt64, to: UInt64) throws -> OpBundle.Attachments {
        let own = origin == replica.replica
        let signers = own ? [key.signing] + (nextKey.map { [$0.signing] } ?? []) : []
        return OpBundle.Attachments(proofs: [try replica.proof(of: origin, from: from, to: to, signers: signers)],
                                    legacyThrough: own ? try replica.trust().legacyThrough : nil)
    }

    /// How many of the first lines (of these byte lengths) go in one batch: as many as fit
    /// in `maxBytes` with their newlines, and at least one, however long. The batch stops at
    /// the first line that does not fit: a later, shorter line must not go ahead of it, or
    /// the receipt, which acknowledges the highest counter sent, would cover the one left out.
    static func batchLength(_ lengths: [Int], maxBytes: Int) -> Int {
        var bytes = 0
        for (index, length) in lengths.enumerated() {
            if index > 0 && bytes + length > maxBytes { return index }
            bytes += length + 1
        }
        return lengths.count
    }

    /// Pulls to the end; true when the central holds fewer of this station's ops than it
    /// had acknowledged, so that they must be pushed again.
    ///
    /// Pipelined: while one batch is applied (a write transaction on this box), the next is
    /// already being asked for, prepared by the central and decoded here, on a second
    /// thread. Its cursor is the one the answer in hand names, which is what the replica
    /// stores when that batch commits; if the apply fails, the answer fetched ahead is
    /// dropped and the next sync asks again from the stored cursor.
    private func pull(_ report: inout SyncReport, _ progress: ((WorkProgress) -> Void)?, _ shouldContinue: () -> Bool) throws(SyncFailure) -> Bool {
        // A replica restored from a backup takes back its own ops the central holds, before
        // it may write again (see `Replica.restoredFrom`).
        let restored = try storage { try replica.restoredFrom() } != nil
        var pushAgain = false
        var ahead: Ahead<PulledBatch>?
        // A batch fetched ahead is waited for even when this one fails: its thread uses the
        // session, and its request is best finished than cut.
        defer { _ = ahead?.wait() }
        var cursor = try storage { try replica.number("pull_cursor") }
        // Counted in places of the central's log for this community (its own ops, which
        // the central leaves out, included): the first answer says how many are left.
        var total: Int64?
        var askedAttestations = false
        progress?(WorkProgress("下载修改", done: 0, total: nil))
        while shouldContinue() {
            let answer: PulledBatch
            if let fetching = ahead {
                ahead = nil
                answer = try fetching.wait().get()
            } else {
                let asking = try trustAsk(first: true)
                askedAttestations = !asking.unproven.isEmpty || asking.serial > 0
                answer = try fetchPull(after: cursor, restored: restored, sequence: try nextSequence(), asking: asking)
            }
            report.bytesSent += answer.bytesSent
            report.bytesReceived += answer.bytesReceived
            let header = answer.header
            try keyAccepted(header.key)
            try centralReads(header.wire)
            try boardIs(header.board)
            if header.more && shouldContinue() {
                // The sequence is taken here, before the apply holds the write lock.
                // The directory's serial as this answer leaves it: a newer one it carries is
                // taken before the next answer is read.
                let held = try trustAsk(first: false).serial
                let serial = answer.bundle.directory?.claimedSerial ?? held
                let next = (cursor: header.cursor, sequence: try nextSequence(), asking: TrustAsk(serial: serial, unproven: [:]))
                ahead = Ahead { () throws(SyncFailure) in
                    try fetchPull(after: next.cursor, restored: restored, sequence: next.sequence, asking: next.asking)
                }
            }
            let bundle = answer.bundle
            let applied = try apply {
                try replica.receive(bundle.ops, proofs: bundle.proofs, directory: bundle.directory, from: .central,
                                    pinningIfNone: mayPinStreetKey, setting: ["pull_cursor": header.cursor])
            }
            _ = try storage { try replica.keep(attestations: bundle.attestations) }
            cursor = header.cursor
            report.pulled += answer.ops.count
            report.applied += applied.applied
            report.clockSkew = header.time - Self.now
            if let remaining = header.remaining.map(Int64.init) {
                if total == nil { total = remaining + Int64(answer.ops.count) }
                let all = max(total!, remaining)
                progress?(WorkProgress("下载修改", done: all - remaining, total: all))
            } else if !answer.ops.isEmpty {
                // An older central does not say how many are left.
                progress?(WorkProgress("下载修改", done: Int64(report.pulled), total: nil))
            }
            if let yours = header.yours, try storage({ try replica.acknowledged() }) > yours {
                try storage { try replica.centralHolds(yours) }
                pushAgain = true
            }
            if !header.more {
                if restored { try storage { try replica.clearRestored() } }
                try askAttestationsIfNewlyTrusted(after: header.cursor, restored: restored, asked: askedAttestations)
                return pushAgain
            }
        }
        return pushAgain
    }

    /// One pull batch, asked for, received and decoded.
    struct PulledBatch: Sendable {
        var header: WireFormat.PullHeader
        var bundle: OpBundle
        var ops: [Op] { bundle.ops }
        var bytesSent: Int
        var bytesReceived: Int
    }

    /// Asks for the batch after `cursor` with an already taken request sequence. Touches
    /// nothing stored, so it may run beside a write transaction.
    private func fetchPull(after cursor: UInt64, restored: Bool, sequence: UInt64, asking: TrustAsk) throws(SyncFailure) -> PulledBatch {
        var ask = WireFormat.PullRequest(cursor: cursor, limit: WireFormat.maxOpsPerBatch, own: restored ? true : nil)
        ask.directory = asking.serial
        ask.attest = asking.unproven.isEmpty ? nil : asking.unproven
        var counted = SyncReport()
        let answer = try post(WireFormat.pullPath, WireFormat.json(ask), sequence: sequence, &counted)
        guard let newline = answer.firstIndex(of: 0x0A),
              let header = WireFormat.decode(WireFormat.PullHeader.self, Array(answer[..<newline])),
              let bundle = try? OpBundle.decode(Array(answer[(newline + 1)...]), file: "pull")
        else { throw .badBody }
        return PulledBatch(header: header, bundle: bundle, bytesSent: counted.bytesSent, bytesReceived: counted.bytesReceived)
    }

    /// A station that trusted no street when this sync began (its first sync with a central
    /// that signs) asks, once the pull is done, for checkpoints at the heads it took before:
    /// its history is verified in the same sync, not the next.
    private func askAttestationsIfNewlyTrusted(after cursor: UInt64, restored: Bool, asked: Bool) throws(SyncFailure) {
        guard !asked else { return }
        let asking = try trustAsk(first: true)
        guard !asking.unproven.isEmpty else { return }
        let answer = try fetchPull(after: cursor, restored: restored, sequence: try nextSequence(),
                                   asking: TrustAsk(serial: .max, unproven: asking.unproven))
        // Only the checkpoints: ops it may bring arrived after this sync's end, and wait for the next.
        _ = try storage { try replica.keep(attestations: answer.bundle.attestations) }
    }

    /// What a pull tells the central of this station's trust: the directory's serial it
    /// holds (the central sends a newer one), and heads nothing proves yet (it attests them).
    struct TrustAsk: Sendable {
        var serial: UInt64
        var unproven: [String: UInt64]
    }

    private func trustAsk(first: Bool) throws(SyncFailure) -> TrustAsk {
        try storage {
            let trust = try replica.trust()
            return TrustAsk(serial: trust.directory?.serial ?? 0, unproven: first && trust.directory != nil ? try replica.unprovenHeads() : [:])
        }
    }

    /// Whether this station may take the street key of the first directory a central hands
    /// it: only when nothing on the way could have put it there (TLS, or this machine).
    var mayPinStreetKey: Bool {
        central.hasPrefix("https://") || URLComponents(string: central)?.host.map(CentralAddress.isLoopback) == true
    }

    /// Where the station keeps the batch form the central last said it reads.
    static let centralWireNote = "central_wire"

    /// Remembers that the central reads compact batches (or no longer says so).
    /// Where the central says residents open the board, kept for the notices' QR codes.
    private func boardIs(_ url: String?) throws(SyncFailure) {
        if try storage({ try replica.note(Self.boardNote) }) != url {
            try storage { try replica.setNote(Self.boardNote, url) }
        }
    }

    /// The note holding the board's address (see `boardIs`).
    public static let boardNote = "board_url"

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
        try post(path, body, sequence: try nextSequence(), &report)
    }

    /// The next request's sequence, taken from the replica (safe across processes).
    private func nextSequence() throws(SyncFailure) -> UInt64 {
        try storage { try replica.nextNumber("request_sequence") }
    }

    /// `send` with the request's sequence already taken.
    private func post(_ path: String, _ body: [UInt8], sequence: UInt64, _ report: inout SyncReport) throws(SyncFailure) -> [UInt8] {
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

    /// Applies a pulled batch: a batch refused for its provenance is the central's answer
    /// that cannot be trusted, reported as such; nothing of it was applied.
    private func apply<T>(_ body: () throws -> T) throws(SyncFailure) -> T {
        do {
            return try body()
        } catch let error as StoreError where error.provenance != nil {
            throw .untrusted(error.description)
        } catch {
            throw .local(String(describing: error))
        }
    }

    static var now: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
