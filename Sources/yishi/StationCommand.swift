import ArgumentParser
import Foundation
import Logging
import YishiHTTP
import YishiModel
import YishiStation
import YishiStore
import YishiSync
import YishiMerge

struct StationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station", abstract: "站点服务（由 systemd 运行）：同步和站点工作台。", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "运行站点服务：定时及修改后与中心同步，并提供浏览器用的站点工作台；中心不可达时照常工作。")
        @Option(help: "配置文件，如 /etc/yishi/station.toml。") var config: String

        static let keys = [
            "data", "central", "desk_listen", "interval_seconds", "edit_delay_seconds", "backoff_cap_seconds", "ca_file", "allow_plain_http",
            "connect_timeout_seconds", "timeout_seconds", "low_speed_limit_bytes", "low_speed_time_seconds",
            "idle_timeout_seconds", "connections_per_address", "trusted_proxies",
        ]

        func run() async throws {
            let (settings, replica) = try StartRefused.preparing(prepare)
            let pretend = try LoopOptions.now()
            // One line per event on stderr, which journald keeps with the unit's name and time.
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = .info
                return handler
            }
            let daemon = StationDaemon(
                replica: replica, configuration: settings, logger: Logger(label: "yishi-station"),
                now: { pretend ?? LocalDateTime(milliseconds: WallTime.now.milliseconds) })
            try await daemon.run()
        }

        /// The config and the replica: what the box's set-up decides.
        private func prepare() throws -> (StationDaemon.Configuration, Replica) {
            let file = try ConfigFile(path: config, allowed: Self.keys)
            guard let data = try file.string("data") else { throw CommandError("\(config) 缺少 data（数据目录）。") }
            guard let central = try file.string("central") else { throw CommandError("\(config) 缺少 central（中心地址）。") }
            if let problem = CentralAddress.problem(central, allowPlainHTTP: try file.bool("allow_plain_http") ?? false) {
                throw CommandError("\(config)：\(problem)")
            }
            var settings = StationDaemon.Configuration(central: central)
            if let listen = try file.string("desk_listen") {
                guard let (host, port) = Self.hostAndPort(listen) else {
                    throw CommandError("desk_listen 应写成 地址:端口，如 \"127.0.0.1:8600\" 或 \"[::1]:8600\"，现在是“\(listen)”。")
                }
                settings.deskHost = host
                settings.deskPort = port
            }
            if let value = try file.integer("interval_seconds", in: 5...86_400) { settings.engine.interval = Double(value) }
            if let value = try file.integer("edit_delay_seconds", in: 0...3_600) { settings.engine.editDelay = Double(value) }
            if let value = try file.integer("backoff_cap_seconds", in: 5...86_400) { settings.engine.backoff.cap = Double(value) }
            settings.client.caFile = try file.string("ca_file")
            if let value = try file.integer("connect_timeout_seconds", in: 1...600) { settings.client.connectTimeout = value }
            if let value = try file.integer("timeout_seconds", in: 5...3_600) { settings.client.timeout = value }
            if let value = try file.integer("low_speed_limit_bytes", in: 1...1_000_000) { settings.client.lowSpeedLimit = value }
            if let value = try file.integer("low_speed_time_seconds", in: 5...3_600) { settings.client.lowSpeedTime = value }
            if let seconds = try file.integer("idle_timeout_seconds", in: 5...3_600) { settings.limits.idleTimeout = .seconds(seconds) }
            if let count = try file.integer("connections_per_address", in: 4...10_000) { settings.limits.perAddress = count }
            TrustedProxies.set(try file.addresses("trusted_proxies") ?? [])

            return (settings, try Replica.open(DataDirectory(path: data)))
        }

        /// `127.0.0.1:8600`, `0.0.0.0:8600`, `[::1]:8600`.
        static func hostAndPort(_ text: String) -> (String, Int)? {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
            var host = String(text[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            return (host, port)
        }
    }
}
