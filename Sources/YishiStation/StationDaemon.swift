import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import YishiHTTP
import YishiModel
import YishiStationDesk
import YishiStore
import YishiSync

/// The station daemon: one ServiceGroup with two services, the sync loop and the desk's
/// web server. SIGTERM and SIGINT shut both down gracefully (the sync loop finishes the
/// batch in hand, the server the requests in hand); if either fails, the other is shut
/// down too and the error ends the process, for systemd to restart it.
public struct StationDaemon: Sendable {
    public struct Configuration: Sendable {
        public var central: String
        public var engine = SyncEngine<SystemRandomNumberGenerator>.Configuration()
        public var client = CurlClient.Configuration()
        /// Where the desk listens: loopback by default; a LAN address when the office PC is
        /// not the box.
        public var deskHost = "127.0.0.1"
        public var deskPort = 8600
        /// What one client may hold of the desk (idle connections, connections per address).
        public var limits = ConnectionLimits()

        public init(central: String) { self.central = central }
    }

    let replica: Replica
    let configuration: Configuration
    let notifier: SystemdNotifier
    let logger: Logger
    let now: @Sendable () -> LocalDateTime

    public init(replica: Replica, configuration: Configuration, notifier: SystemdNotifier = SystemdNotifier(), logger: Logger,
                now: @escaping @Sendable () -> LocalDateTime) {
        self.replica = replica
        self.configuration = configuration
        self.notifier = notifier
        self.logger = logger
        self.now = now
    }

    /// Runs until SIGTERM or SIGINT (or a service fails). `onDeskRunning` gets the bound
    /// port (useful with port 0).
    public func run(onDeskRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let sync = try SyncLoop(replica: replica, configuration: configuration, notifier: notifier, logger: logger)
        let desk = try StationDesk(replica: replica, now: now, syncNow: { sync.requestSync() })
        let notifier = notifier, logger = logger, station = replica.replica, central = configuration.central
        let server = Application(
            router: desk.router(),
            server: configuration.limits.server(),
            configuration: .init(address: .hostname(configuration.deskHost, port: configuration.deskPort), serverName: "yishi-station"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("站点工作台已启动：http://\(channel.localAddress?.ipAddress ?? "127.0.0.1"):\(port)/")
                // Ready once the replica is open and the desk can be reached.
                notifier.ready("站点 \(station)，工作台端口 \(port)，中心 \(central)")
                onDeskRunning(port)
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: sync, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: server, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        defer {
            notifier.stopping()
            logger.info("站点服务已停止")
        }
        try await group.run()
    }
}
