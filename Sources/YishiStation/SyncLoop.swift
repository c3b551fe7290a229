import Foundation
import Logging
import ServiceLifecycle
import YishiMerge
import YishiStore
import YishiSync

/// The station's sync loop as a service: syncs on an interval, soon after local edits and
/// when a person asks, backs off while the central is unreachable, pings the systemd
/// watchdog while it is alive, and on graceful shutdown finishes the batch in hand.
public final class SyncLoop: Service, Sendable {
    let replica: Replica
    let configuration: StationDaemon.Configuration
    let notifier: SystemdNotifier
    let logger: Logger
    private let stopping = Flag()
    private let requested = Flag()

    init(replica: Replica, configuration: StationDaemon.Configuration, notifier: SystemdNotifier, logger: Logger) throws {
        self.replica = replica
        self.configuration = configuration
        self.notifier = notifier
        self.logger = logger
        // Checked now so that a missing key stops the daemon at start, not at the first sync.
        _ = try StationKey.load(from: replica.directory.url)
    }

    /// Asks for a sync now (the desk's 立即同步); noticed within half a second.
    public func requestSync() { requested.set() }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await loop()
        } onGracefulShutdown: {
            self.stopping.set()
        }
    }

    private func loop() async throws {
        var engine = SyncEngine(configuration: configuration.engine, now: Self.now, random: SystemRandomNumberGenerator())
        let client = CurlClient(configuration: configuration.client)
        let watchdog = SystemdNotifier.watchdogInterval()
        var lastPing = 0.0
        var ownCounter = (try? replica.counter(of: replica.replica)) ?? 0
        logger.info("同步循环已启动，中心 \(configuration.central)")
        var action = engine.handle(.timerFired, now: Self.now)
        while !stopping.isSet {
            if let watchdog, Self.now - lastPing >= watchdog {
                notifier.watchdog()
                lastPing = Self.now
            }
            switch action {
            case .sync:
                // A catch-up after weeks offline says how far it has got, in the journal
                // every ten seconds and in `systemctl status`; a short sync says nothing.
                let meter = ProgressMeter(mode: .journal, kept: "") { [logger, notifier] line in
                    let text = "正在同步：" + line.trimmingCharacters(in: .newlines)
                    logger.info("\(text)")
                    notifier.status(text)
                }
                // libcurl blocks: the attempt runs on a thread of its own, and between
                // batches it asks whether to go on, so a stop waits for one batch at most.
                // The keys are read afresh each time: a `yishi key rotate` while the daemon runs
                // is signed with from the next sync on.
                let outcome = await Self.blocking { [stopping, replica, client, central = configuration.central] in
                    Result { () throws(SyncFailure) -> SyncReport in
                        let session: SyncSession
                        do { session = try SyncSession(replica: replica, client: client, central: central) } catch {
                            throw .local(String(describing: error))
                        }
                        return try session.run(progress: { try? meter.note($0) }, shouldContinue: { !stopping.isSet })
                    }
                }
                switch outcome {
                case .success(let report):
                    if report.pushed + report.pulled > 0 { logger.info("同步完成：上传 \(report.pushed) 条，下载 \(report.pulled) 条") }
                    try? SyncRecord.succeeded(replica, report)
                    notifier.status("上次同步 \(WallTime(milliseconds: Int64(Self.now * 1000)).beijingMinutes)")
                    action = engine.handle(.succeeded, now: Self.now)
                case .failure(let failure):
                    logger.warning("同步失败：\(failure.message)")
                    try? SyncRecord.failed(replica, failure)
                    notifier.status(failure.message)
                    action = engine.handle(.failed(failure), now: Self.now)
                }
            case .wait(let until):
                // Short naps: the watchdog, staff edits, a request and a stop are all noticed within one.
                try? await Task.sleep(for: .milliseconds(Int(max(0, min(0.5, until - Self.now)) * 1000)))
                let counter = (try? replica.counter(of: replica.replica)) ?? ownCounter
                if requested.take() {
                    action = engine.handle(.requested, now: Self.now)
                } else if counter > ownCounter {
                    ownCounter = counter
                    action = engine.handle(.localEdit, now: Self.now)
                } else if Self.now >= until {
                    action = engine.handle(.timerFired, now: Self.now)
                }
            }
        }
        logger.info("同步循环已停止")
    }

    static func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    static var now: Double { Date().timeIntervalSince1970 }
}

/// A flag set from one task and read from another.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }

    /// Reads and clears it.
    func take() -> Bool { lock.withLock { defer { value = false }; return value } }
}
