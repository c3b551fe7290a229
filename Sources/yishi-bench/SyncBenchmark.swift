import Foundation
import YishiCentral
import YishiMerge
import YishiStore
import YishiSync

/// Sync through a real central node (Hummingbird, in this process) over loopback, with
/// real libcurl sessions; the station daemon measured as a real process.
enum SyncBenchmark {
    struct Result {
        var ops: Int
        var pushSeconds: Double
        var pullSeconds: Double
        var bytesPerOpUp: Double
        var bytesPerOpDown: Double
        /// Saves of 20 KB of minutes, one sentence changed each: bytes per sentence edit.
        var bytesPerSentenceEditUp: Double
        var bytesPerSentenceEditDown: Double
        /// The same ops as gzipped journal lines (bundle version 1) in the same batches:
        /// the previous wire form, computed here as the baseline.
        var linesBytesPerOp: Double
        var linesBytesPerSentenceEdit: Double
        var stations: Int
        var ingestOps: Int
        var ingestSeconds: Double
        var daemonIdleMegabytes: Double?
        var daemonIdlePrivateMegabytes: Double?
        var daemonPeakMegabytes: Double?
        var daemonAfterSyncPrivateMegabytes: Double?
        /// The same push and pull over HTTPS (the central's own TLS, a private CA), in the same run.
        var tlsPushSeconds: Double
        var tlsPullSeconds: Double
    }

    static func run(ops: Int, stations: Int, opsPerStation: Int, saves: Int) async throws -> Result {
        let folder = Measure.temporaryDirectory("sync")
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = try CentralNode.create(at: DataDirectory(folder.appendingPathComponent("central")))
        func station(_ id: String, community: String = "HL3") throws -> (Replica, StationKey) {
            let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent(id)), replica: id, community: community)
            let key = try StationKey.create(in: replica.directory.url)
            try node.registry.enroll(id: id, community: community, publicKey: key.publicKeyText)
            return (replica, key)
        }
        let port = PortBox()
        let server = Task { try await CentralServer(node: node).run(host: "127.0.0.1", port: 0) { port.set($0) } }
        defer { server.cancel() }
        let url = "http://127.0.0.1:\(await port.value())"

        // The daemon of a third station, idle first; stopped while the rates below are
        // measured (its catch-up would share the two cores with them), then started again
        // to catch up on everything.
        let (watcher, _) = try station("HL3-03")
        let idleDaemon = try startDaemon(data: watcher.directory.url, central: url, folder: folder)
        try await Task.sleep(for: .seconds(3))
        let idle = idleDaemon.map { residentMegabytes(pid: $0.processIdentifier, field: "VmRSS") }
        let idlePrivate = idleDaemon.map { residentMegabytes(pid: $0.processIdentifier, field: "RssAnon") }
        idleDaemon.map(stop)

        let (a, keyA) = try station("HL3-01")
        let (b, keyB) = try station("HL3-02")
        try a.receive(try RemoteApplyBenchmark.makeOps(count: ops, replica: "HL3-01"))
        let client = CurlClient()
        let (pushSeconds, pushReport) = try await timedSync(SyncSession(replica: a, client: client, central: url, key: keyA))
        let (pullSeconds, pullReport) = try await timedSync(SyncSession(replica: b, client: client, central: url, key: keyB))
        guard try b.clock()[a.replica] == UInt64(ops) else { throw SyncSetupError("B did not receive every op") }

        // The same again over HTTPS: a second server on the same central with a certificate
        // from the office's own CA, two stations of another community (so the daemon above,
        // of HL3, has nothing of theirs to pull meanwhile), the same number of ops.
        let files = try CentralCertificates.initialize(in: folder.appendingPathComponent("central"), names: ["127.0.0.1"])
        let tlsPort = PortBox()
        let tlsServer = Task {
            try await CentralServer(node: node).run(
                host: "127.0.0.1", port: 0,
                tls: try CentralCertificates.serverConfiguration(certificate: files.certificate.path, key: files.key.path)) { tlsPort.set($0) }
        }
        defer { tlsServer.cancel() }
        let tlsURL = "https://127.0.0.1:\(await tlsPort.value())"
        var tlsConfiguration = CurlClient.Configuration()
        tlsConfiguration.caFile = files.ca.path
        let tlsClient = CurlClient(configuration: tlsConfiguration)
        let (c, keyC) = try station("HL4-01", community: "HL4")
        let (d, keyD) = try station("HL4-02", community: "HL4")
        try c.receive(try RemoteApplyBenchmark.makeOps(count: ops, replica: "HL4-01", scope: "HL4"))
        let (tlsPushSeconds, _) = try await timedSync(SyncSession(replica: c, client: tlsClient, central: tlsURL, key: keyC))
        let (tlsPullSeconds, _) = try await timedSync(SyncSession(replica: d, client: tlsClient, central: tlsURL, key: keyD))
        guard try d.clock()[c.replica] == UInt64(ops) else { throw SyncSetupError("D did not receive every op over HTTPS") }

        // Minutes: saves of 20 KB, each changing a sentence or two, as the desk sends them.
        let (e, keyE) = try station("HL5-01", community: "HL5")
        let (f, keyF) = try station("HL5-02", community: "HL5")
        var rng = SystemRandomNumberGenerator()
        var minutes = TextMergeBenchmark.baseText(bytes: 20_000, using: &rng)
        let meeting = "meeting/HL5-01-2026-H001", wall = WallTime(milliseconds: 1_763_800_000_000)
        try e.edit([LocalEdit(record: meeting, field: "minutes", change: .text(minutes))], author: "王芳", at: wall)
        _ = try await timedSync(SyncSession(replica: e, client: client, central: url, key: keyE))
        _ = try await timedSync(SyncSession(replica: f, client: client, central: url, key: keyF))
        let minutesFrom = try e.clock()[e.replica]
        var sentenceEdits = 0
        for _ in 0..<saves {
            minutes = TextMergeBenchmark.edit(minutes, using: &rng)
            for op in try e.edit([LocalEdit(record: meeting, field: "minutes", change: .text(minutes))], author: "王芳", at: wall) {
                if case .text(let edits) = op.change { sentenceEdits += edits.count }
            }
        }
        let (_, minutesUp) = try await timedSync(SyncSession(replica: e, client: client, central: url, key: keyE))
        let (_, minutesDown) = try await timedSync(SyncSession(replica: f, client: client, central: url, key: keyF))
        guard try f.clock()[e.replica] == e.clock()[e.replica] else { throw SyncSetupError("F did not receive the minutes") }
        let linesBytesPerOp = Double(try linesBytes(a, after: 0)) / Double(ops)
        let linesBytesPerSentenceEdit = Double(try linesBytes(e, after: minutesFrom)) / Double(sentenceEdits)

        var peak: Double?
        var afterPrivate: Double?
        let daemon = try startDaemon(data: watcher.directory.url, central: url, folder: folder)
        if let daemon {
            defer { stop(daemon) }
            let deadline = Date().addingTimeInterval(300)
            while try watcher.clock()[a.replica] < UInt64(ops), Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
            peak = residentMegabytes(pid: daemon.processIdentifier, field: "VmHWM")
            afterPrivate = residentMegabytes(pid: daemon.processIdentifier, field: "RssAnon")
        }

        // Fifty stations, one per community as at a street office, all pushing at once.
        var pushers: [(Replica, StationKey)] = []
        for index in 0..<stations {
            let community = "C\(index)"
            let (replica, key) = try station("\(community)-01", community: community)
            try replica.receive(try RemoteApplyBenchmark.makeOps(count: opsPerStation, replica: replica.replica.rawValue, scope: community))
            pushers.append((replica, key))
        }
        let ingestSeconds = try await pushAtOnce(pushers.map { SyncSession(replica: $0.0, client: client, central: url, key: $0.1) })
        let expected = UInt64(opsPerStation)
        for (replica, _) in pushers where try node.replica.clock()[replica.replica] != expected {
            throw SyncSetupError("central is missing ops of \(replica.replica)")
        }
        return Result(
            ops: ops, pushSeconds: pushSeconds, pullSeconds: pullSeconds,
            bytesPerOpUp: Double(pushReport.bytesSent) / Double(ops), bytesPerOpDown: Double(pullReport.bytesReceived) / Double(ops),
            bytesPerSentenceEditUp: Double(minutesUp.bytesSent) / Double(sentenceEdits),
            bytesPerSentenceEditDown: Double(minutesDown.bytesReceived) / Double(sentenceEdits),
            linesBytesPerOp: linesBytesPerOp, linesBytesPerSentenceEdit: linesBytesPerSentenceEdit,
            stations: stations, ingestOps: stations * opsPerStation, ingestSeconds: ingestSeconds,
            daemonIdleMegabytes: idle, daemonIdlePrivateMegabytes: idlePrivate, daemonPeakMegabytes: peak,
            daemonAfterSyncPrivateMegabytes: afterPrivate, tlsPushSeconds: tlsPushSeconds, tlsPullSeconds: tlsPullSeconds)
    }

    /// The gzipped size of `replica`'s own ops after counter `after` as version-1 bundles
    /// of a push's size: what the wire carried before compact batches.
    static func linesBytes(_ replica: Replica, after: UInt64) throws -> Int {
        let lines = try replica.opLines(lacking: VersionVector([replica.replica: after]))
            .filter { $0.contains("\"dot\":\"\(replica.replica):") }
        return stride(from: 0, to: lines.count, by: WireFormat.maxOpsPerBatch).reduce(0) { total, start in
            let batch = Array(lines[start..<min(lines.count, start + WireFormat.maxOpsPerBatch)])
            return total + Gzip.compress(OpBundle.encode(from: replica.replica, community: replica.community, lines: batch)).count
        }
    }

    /// The release `yishi` next to this benchmark, running `station run`.
    static func startDaemon(data: URL, central: String, folder: URL) throws -> Process? {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("yishi")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { return nil }
        let config = folder.appendingPathComponent("station.toml")
        try Data("data = \"\(data.path)\"\ncentral = \"\(central)\"\ninterval_seconds = 5\ndesk_listen = \"127.0.0.1:0\"\n".utf8).write(to: config)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["station", "run", "--config", config.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// SIGTERM, then a bounded wait (polling: Process.waitUntilExit spins in async code).
    static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// A memory figure of a process from /proc: VmRSS (resident, shared library pages
    /// included), RssAnon (its own memory), VmHWM (peak resident).
    static func residentMegabytes(pid: Int32, field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }

    static func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Swift.Result { try body() }) }
        }
    }

    /// Runs the release `yishi` beside this benchmark to its end; its exit status.
    static func runYishi(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("yishi")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Seconds for every session's sync, all started at once, each on a thread of its own.
    static func pushAtOnce(_ sessions: [SyncSession]) async throws -> Double {
        try await offThread {
            Measure.seconds {
                let group = DispatchGroup()
                for session in sessions {
                    group.enter()
                    Thread.detachNewThread {
                        _ = try? session.run()
                        group.leave()
                    }
                }
                group.wait()
            }
        }
    }

    /// One sync, timed, on a thread of its own (libcurl blocks).
    static func timedSync(_ session: SyncSession) async throws -> (Double, SyncReport) {
        try await offThread {
            let start = DispatchTime.now().uptimeNanoseconds
            let report = try session.run()
            return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, report)
        }
    }
}

/// The port the server reports once bound.
actor PortBox {
    private var port: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []

    nonisolated func set(_ port: Int) { Task { await self.store(port) } }

    private func store(_ port: Int) {
        self.port = port
        for waiter in waiters { waiter.resume(returning: port) }
        waiters = []
    }

    func value() async -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiters.append($0) }
    }
}
