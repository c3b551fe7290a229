import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import YishiTestSupport

/// `systemctl stop` must never wait out TimeoutStopSec: the daemon (the release binary too,
/// when YISHI_BIN names it) stops within 5 seconds of SIGTERM or SIGINT, whatever it is
/// doing — backing off from an unreachable central, pushing a long queue, serving pages.
@Suite struct StationStopTests {
    /// A daemon whose stderr goes to a file, so the desk's port can be read from its log.
    struct Daemon {
        let process: Process
        let log: URL
        let notify: NotifySocket

        init(_ folder: TemporaryDirectory, station: URL, central: String) throws {
            log = folder.path("daemon.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            notify = try NotifySocket(directory: folder.url)
            process = YishiBinary.configured(
                ["station", "run", "--config", try StationDaemonTests.config(folder, data: station, central: central).path],
                data: nil, author: "")
            process.environment?["NOTIFY_SOCKET"] = notify.path
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            #expect(notify.await("READY=1", seconds: 15).last?.contains("READY=1") == true)
        }

        var deskPort: Int? {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            guard let range = text.range(of: #"站点工作台已启动：http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) else { return nil }
            return Int(text[range].split(separator: ":").last!.dropLast())
        }

        /// Sends `signal` and returns how long the process took to exit 0 after STOPPING=1.
        func stop(_ signal: Int32 = SIGTERM) -> Double {
            let start = Date()
            kill(process.processIdentifier, signal)
            let seen = notify.await("STOPPING=1", seconds: 10)
            #expect(seen.contains("STOPPING=1"), "no STOPPING=1 after signal \(signal): \(seen)")
            while process.isRunning, Date().timeIntervalSince(start) < 10 { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0)
            return Date().timeIntervalSince(start)
        }
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func stopsPromptlyWhileTheCentralIsUnreachable(signal: Int32) throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01", community: "HL3")
        let daemon = try Daemon(folder, station: station, central: "http://127.0.0.1:\(freePort())")
        #expect(StationDaemonTests.waitUntil(seconds: 10) { (try? YishiBinary.ok(["status"], data: station).contains("上次连接失败")) == true })
        #expect(daemon.stop(signal) < 5)
    }

    /// A long queue is being pushed when SIGTERM comes: the batch in hand finishes, the
    /// rest waits for the next start, and nothing is lost or doubled.
    @Test func stopsPromptlyWhileSyncing() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let station = try folder.station("HL3-01", community: "HL3")
        try central.enroll(station, id: "HL3-01", community: "HL3")
        try YishiBinary.ok(["debug", "bulk", "--count", "30000"], data: station)
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let daemon = try Daemon(folder, station: station, central: server.url)
        #expect(StationDaemonTests.waitUntil(seconds: 20) {
            (try? YishiBinary.ok(["clock"], data: central.data))?.contains("HL3-01=") == true
        })
        #expect(daemon.stop() < 5)
        let after = try YishiBinary.ok(["status"], data: station)
        #expect(after.contains("待上传的修改"))
    }

    @Test func stopsPromptlyWhileServingPages() throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01", community: "HL3")
        let daemon = try Daemon(folder, station: station, central: "http://127.0.0.1:\(freePort())")
        let port = try #require(daemon.deskPort)
        // Requests keep coming from another thread while the signal arrives.
        let stop = Flag()
        let clients = Thread {
            while !stop.isSet {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/login")!)
                request.timeoutInterval = 2
                let done = DispatchSemaphore(value: 0)
                URLSession.shared.dataTask(with: request) { _, _, _ in done.signal() }.resume()
                _ = done.wait(timeout: .now() + 3)
            }
        }
        clients.start()
        usleep(300_000)
        #expect(daemon.stop() < 5)
        stop.set()
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
