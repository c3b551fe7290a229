import Foundation
import YishiMerge
import YishiStore
import YishiSync

/// The station daemon: syncs on an interval and soon after local edits, backs off while
/// the central is unreachable (staff commands keep working all the while), pings the
/// systemd watchdog from the live loop, and on SIGTERM lets the batch in hand finish.
public final class StationDaemon: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var central: String
        public var engine = SyncEngine<SystemRandomNumberGenerator>.Configuration()
        public var client = CurlClient.Configuration()

        public init(central: String) { self.central = central }
    }

    let replica: Replica
    let configuration: Configuration
    let key: StationKey
    let notifier: SystemdNotifier
    private let stopRequested = StopFlag()
    private let log: @Sendable (String) -> Void

    public init(replica: Replica, configuration: Configuration, notifier: SystemdNotifier = SystemdNotifier(),
                log: @escaping @Sendable (String) -> Void) throws {
        self.replica = replica
        self.configuration = configuration
        self.notifier = notifier
        self.log = log
        key = try StationKey.load(from: replica.directory.url)
    }

    /// Asks the loop to stop after what it is doing; safe from a signal handler's queue.
    public func requestStop() { stopRequested.set() }

    /// Runs until `requestStop`. Blocking: it is the process's main loop.
    public func run() {
        var engine = SyncEngine(configuration: configuration.engine, now: Self.now, random: SystemRandomNumberGenerator())
        let session = SyncSession(replica: replica, client: CurlClient(configuration: configuration.client),
                                  central: configuration.central, key: key)
        let watchdog = SystemdNotifier.watchdogInterval()
        var lastPing = 0.0
        var ownCounter = (try? replica.clock()[replica.replica]) ?? 0
        notifier.ready("副本已打开，中心 \(configuration.central)")
        log("站点 \(replica.replica) 已启动，中心 \(configuration.central)")
        var action = engine.handle(.timerFired, now: Self.now)
        while !stopRequested.isSet {
            let now = Self.now
            if let watchdog, now - lastPing >= watchdog {
                notifier.watchdog()
                lastPing = now
            }
            switch action {
            case .sync:
                let outcome = Result { () throws(SyncFailure) -> SyncReport in
                    try session.run(shouldContinue: { !self.stopRequested.isSet })
                }
                switch outcome {
                case .success(let report):
                    if report.pushed + report.pulled > 0 { log("同步完成：上传 \(report.pushed) 条，下载 \(report.pulled) 条") }
                    try? SyncRecord.succeeded(replica, report)
                    notifier.status("上次同步 \(WallTime(milliseconds: Int64(Self.now * 1000)).beijingMinutes)")
                    action = engine.handle(.succeeded, now: Self.now)
                case .failure(let failure):
                    log(failure.message)
                    try? SyncRecord.failed(replica)
                    notifier.status(failure.message)
                    action = engine.handle(.failed(failure), now: Self.now)
                }
            case .wait(let until):
                // Short naps: the watchdog, staff edits and SIGTERM are all noticed within one.
                Thread.sleep(forTimeInterval: max(0, min(0.5, until - now)))
                let counter = (try? replica.clock()[replica.replica]) ?? ownCounter
                if counter > ownCounter {
                    ownCounter = counter
                    action = engine.handle(.localEdit, now: Self.now)
                } else if Self.now >= until {
                    action = engine.handle(.timerFired, now: Self.now)
                }
            }
        }
        notifier.stopping()
        log("站点服务已停止")
    }

    static var now: Double { Date().timeIntervalSince1970 }
}

/// A flag set from one thread and read from another.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
