import Foundation
import Testing
import YishiTestSupport

/// `yishi station run` as systemd runs it: a real process, a real notify socket.
@Suite struct StationDaemonTests {
    static func config(_ folder: TemporaryDirectory, data: URL, central: String, extra: String = "") throws -> URL {
        let file = folder.path("station.toml")
        try Data("""
            data = "\(data.path)"
            central = "\(central)"
            interval_seconds = 60
            edit_delay_seconds = 1
            desk_listen = "127.0.0.1:0"
            backoff_cap_seconds = 5
            \(extra)
            """.utf8).write(to: file)
        return file
    }

    static func daemon(_ config: URL, notify: NotifySocket?, environment: [String: String] = [:]) throws -> Process {
        let process = YishiBinary.configured(["station", "run", "--config", config.path], data: nil, author: "")
        var env = process.environment ?? [:]
        if let notify { env["NOTIFY_SOCKET"] = notify.path }
        env["WATCHDOG_USEC"] = "400000"
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return false
    }

    @Test func readyWatchdogSyncAfterAnEditAndCleanStop() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let station = try folder.station("HL3-01", community: "HL3")
        try central.enroll(station, id: "HL3-01", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let notify = try NotifySocket(directory: folder.url)
        let daemon = try Self.daemon(try Self.config(folder, data: station, central: server.url), notify: notify)

        #expect(notify.await("READY=1", seconds: 10).last?.contains("READY=1") == true)
        #expect(notify.await("WATCHDOG=1", seconds: 3).last == "WATCHDOG=1")
        // A staff command, another process, edits while the daemon runs: it is synced soon.
        try YishiBinary.ok(["debug", "put", "topic/HL3-01-2026-0001", "title", "北门门禁"], data: station)
        #expect(try Self.waitUntil(seconds: 15) { try YishiBinary.ok(["clock"], data: central.data).contains("HL3-01=1") })

        kill(daemon.processIdentifier, SIGTERM)
        #expect(notify.await("STOPPING=1", seconds: 10).contains("STOPPING=1"))
        daemon.waitUntilExit()
        #expect(daemon.terminationReason == .exit && daemon.terminationStatus == 0)
    }

    /// The central is down for the whole first part: the station queues everything, staff
    /// commands keep working, and it all goes through once the central comes up.
    @Test func queuesWhileTheCentralIsDownAndSyncsWhenItReturns() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let station = try folder.station("HL3-01", community: "HL3")
        try central.enroll(station, id: "HL3-01", community: "HL3")
        let port = freePort()
        let daemon = try Self.daemon(try Self.config(folder, data: station, central: "http://127.0.0.1:\(port)"), notify: nil)
        defer { kill(daemon.processIdentifier, SIGTERM); daemon.waitUntilExit() }
        for index in 1...5 {
            try YishiBinary.ok(["debug", "put", "topic/HL3-01-2026-000\(index)", "title", "事项\(index)"], data: station)
        }
        #expect(try Self.waitUntil(seconds: 10) { try YishiBinary.ok(["status"], data: station).contains("上次连接失败") })
        #expect(try YishiBinary.ok(["status"], data: station).contains("待上传的修改：5 条"))

        let server = CentralProcessOnPort(data: central.data, port: port)
        defer { server.stop() }
        #expect(try Self.waitUntil(seconds: 30) { try YishiBinary.ok(["clock"], data: central.data).contains("HL3-01=5") })
        #expect(try Self.waitUntil(seconds: 10) { try YishiBinary.ok(["status"], data: station).contains("待上传的修改：0 条") })
    }

    /// The central under systemd: READY=1 once the port is bound, and SIGTERM is a clean stop.
    @Test func centralNotifiesReadyAndStopsCleanly() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let notify = try NotifySocket(directory: folder.url)
        let process = YishiBinary.configured(["central", "serve", "--port", "0"], data: central.data, author: "")
        process.environment?["NOTIFY_SOCKET"] = notify.path
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        #expect(notify.await("READY=1", seconds: 15).last?.contains("READY=1") == true)
        kill(process.processIdentifier, SIGTERM)
        #expect(notify.await("STOPPING=1", seconds: 15).contains("STOPPING=1"))
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test func aBadConfigStopsTheStartWithTheLine() throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01", community: "HL3")
        let unknown = try Self.config(folder, data: station, central: "http://127.0.0.1:1", extra: "intervall_seconds = 5")
        let result = try YishiBinary.run(["station", "run", "--config", unknown.path])
        // 78 (EX_CONFIG): systemd does not restart into a bad config (RestartPreventExitStatus).
        #expect(result.status == 78 && result.stderr.contains("第 7 行：不认识的键“intervall_seconds”"))
        let bad = try Self.config(folder, data: station, central: "http://127.0.0.1:1", extra: "timeout_seconds = 0")
        #expect(try YishiBinary.run(["station", "run", "--config", bad.path]).stderr.contains("timeout_seconds 应是 5 到 3600 之间的整数"))
        let overridden = YishiBinary.configured(["station", "run", "--config", bad.path], data: nil, author: "")
        overridden.environment?["YISHI_TIMEOUT_SECONDS"] = "abc"
        let pipe = Pipe()
        overridden.standardError = pipe
        try overridden.run()
        overridden.waitUntilExit()
        #expect(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("环境变量 YISHI_TIMEOUT_SECONDS"))
    }

    /// Every unit (the daemons, the nightly backup and its timer) passes `systemd-analyze verify`, with the binary installed where ExecStart
    /// expects it inside a scratch root. Any warning counts as a failure.
    @Test func unitsPassSystemdAnalyzeVerify() throws {
        let folder = TemporaryDirectory()
        let root = folder.path("root")
        let units = root.appendingPathComponent("etc/systemd/system")
        let files = FileManager.default
        try files.createDirectory(at: root.appendingPathComponent("usr/bin"), withIntermediateDirectories: true)
        try files.createDirectory(at: units, withIntermediateDirectories: true)
        try files.createDirectory(at: root.appendingPathComponent("usr/lib/systemd"), withIntermediateDirectories: true)
        try files.copyItem(at: YishiBinary.url, to: root.appendingPathComponent("usr/bin/yishi"))
        try files.copyItem(atPath: "/usr/lib/systemd/system", toPath: root.appendingPathComponent("usr/lib/systemd/system").path)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var paths: [String] = []
        for name in ["yishi-station.service", "yishi-central.service", "yishi-backup.service", "yishi-backup.timer"] {
            try files.copyItem(at: repository.appendingPathComponent("systemd/\(name)"), to: units.appendingPathComponent(name))
            paths.append(units.appendingPathComponent(name).path)
        }
        // Documentation=man:yishi(1) is checked too, against the manual the package ships.
        let manuals = folder.path("man/man1")
        try files.createDirectory(at: manuals, withIntermediateDirectories: true)
        try files.copyItem(at: repository.appendingPathComponent("packaging/debian/yishi.1"), to: manuals.appendingPathComponent("yishi.1"))
        let verify = Process()
        verify.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        verify.arguments = ["verify", "--root=\(root.path)"] + paths
        verify.environment = ProcessInfo.processInfo.environment.merging(["MANPATH": folder.path("man").path]) { $1 }
        let output = Pipe()
        verify.standardOutput = output
        verify.standardError = output
        try verify.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        verify.waitUntilExit()
        #expect(verify.terminationStatus == 0 && text.isEmpty, "systemd-analyze verify: \(text)")
    }
}

/// The central started on a fixed port (for a station configured with that address).
final class CentralProcessOnPort {
    let process: Process

    init(data: URL, port: Int) {
        process = YishiBinary.configured(["central", "serve", "--port", String(port)], data: data, author: "")
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
