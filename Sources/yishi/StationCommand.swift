import ArgumentParser
import Foundation
import YishiStation
import YishiStore
import YishiSync

struct StationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station", abstract: "站点服务（由 systemd 运行）。", subcommands: [Run.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "运行站点服务：定时及修改后与中心同步，中心不可达时照常工作。")
        @Option(help: "配置文件，如 /etc/yishi/station.toml。") var config: String

        static let keys = [
            "data", "central", "interval_seconds", "edit_delay_seconds", "backoff_cap_seconds", "ca_file",
            "connect_timeout_seconds", "timeout_seconds", "low_speed_limit_bytes", "low_speed_time_seconds",
        ]

        func run() throws {
            let file = try ConfigFile(path: config, allowed: Self.keys)
            guard let data = try file.string("data") else { throw CommandError("\(config) 缺少 data（数据目录）。") }
            guard let central = try file.string("central") else { throw CommandError("\(config) 缺少 central（中心地址）。") }
            guard central.hasPrefix("http://") || central.hasPrefix("https://") else {
                throw CommandError("中心地址“\(central)”应以 http:// 或 https:// 开头。")
            }
            var settings = StationDaemon.Configuration(central: central)
            if let value = try file.integer("interval_seconds", in: 5...86_400) { settings.engine.interval = Double(value) }
            if let value = try file.integer("edit_delay_seconds", in: 0...3_600) { settings.engine.editDelay = Double(value) }
            if let value = try file.integer("backoff_cap_seconds", in: 5...86_400) { settings.engine.backoff.cap = Double(value) }
            settings.client.caFile = try file.string("ca_file")
            if let value = try file.integer("connect_timeout_seconds", in: 1...600) { settings.client.connectTimeout = value }
            if let value = try file.integer("timeout_seconds", in: 5...3_600) { settings.client.timeout = value }
            if let value = try file.integer("low_speed_limit_bytes", in: 1...1_000_000) { settings.client.lowSpeedLimit = value }
            if let value = try file.integer("low_speed_time_seconds", in: 5...3_600) { settings.client.lowSpeedTime = value }

            let replica = try Replica.open(DataDirectory(path: data))
            let daemon = try StationDaemon(replica: replica, configuration: settings) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            // SIGTERM (systemctl stop) and SIGINT: finish the batch in hand, then exit 0. A
            // parent may have left these blocked (masks are inherited): unblock them first.
            var stopSignals = sigset_t()
            sigemptyset(&stopSignals)
            sigaddset(&stopSignals, SIGTERM)
            sigaddset(&stopSignals, SIGINT)
            pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
            signal(SIGTERM, SIG_IGN)
            signal(SIGINT, SIG_IGN)
            let signals = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
            for source in signals {
                source.setEventHandler { daemon.requestStop() }
                source.resume()
            }
            daemon.run()
        }
    }
}
