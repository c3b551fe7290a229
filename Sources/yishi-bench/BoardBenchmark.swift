import Foundation
import YishiCentral
import YishiMerge
import YishiStore
import YishiSync

/// The residents' board on the office benchmark's district, served by the release central:
/// each public page's p50/p99, one request at a time (a page seen before, and a community's
/// board the first time it is asked for, which renders it); then `wrk` from Debian driving
/// a board with 64 connections for 30 s while a station pushes and pulls through the same
/// central, beside the same sync with no load, in the same run.
enum BoardBenchmark {
    struct Result {
        var district: OfficeBenchmark.District
        var timings: [DeskBenchmark.Timing]
        var syncAlone: Double
        var syncLoaded: Double?
        var boardRequests: Double?
        var wrkMissing: Bool
    }

    static func run(communities: Int, topics: Int, requests: Int, syncOps: Int) async throws -> Result {
        let (directory, district, cleanup) = try OfficeBenchmark.district(communities: communities, topics: topics)
        defer { cleanup() }
        // Two stations of a community of their own, for the sync rates. A kept district
        // still holds the community of an earlier run, with its stations' ops and request
        // numbers: each run's community and stations are new, named after the run.
        let run = "SB\(Int(Date().timeIntervalSince1970) % 100_000_000)"
        let (writerID, readerID) = ("\(run)-01", "\(run)-02")
        let folder = Measure.temporaryDirectory("board")
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = try CentralNode.open(directory)
        let station = try Replica.create(at: DataDirectory(folder.appendingPathComponent(writerID)), replica: writerID, community: run)
        let key = try StationKey.create(in: station.directory.url)
        _ = try node.registry.enroll(id: writerID, community: run, publicKey: key.publicKeyText)
        let reader = try Replica.create(at: DataDirectory(folder.appendingPathComponent(readerID)), replica: readerID, community: run)
        let readerKey = try StationKey.create(in: reader.directory.url)
        _ = try node.registry.enroll(id: readerID, community: run, publicKey: readerKey.publicKeyText)
        try node.replica.close()

        let central = try await DeskBenchmark.Daemon(
            arguments: ["central", "serve", "--data", directory.url.path, "--port", "0", "--public-url", "https://yishi.jiedao.gov.cn"],
            log: directory.url.appendingPathComponent("central.log"), now: OfficeBenchmark.now,
            started: #"中心已启动：http://127\.0\.0\.1:\d+"#, user: "街道李")
        defer { central.stop() }
        let url = "http://127.0.0.1:\(central.port)"
        let middle = OfficeBenchmark.name(communities / 2)
        let home = try central.get("/public/\(middle)", cookie: nil).body
        guard let topic = firstMatch(#"/public/\#(middle)/topics/([A-Z0-9-]+)"#, in: home) else {
            throw SyncSetupError("the board of \(middle) shows no result")
        }
        // A meeting whose notice is up if there is one, else the year's first.
        let meeting = firstMatch(#"/public/\#(middle)/meetings/([A-Z0-9-]+)"#, in: home) ?? "\(middle)-01-2026-H001"
        let pages = [("/healthz（基线）", "/healthz"), ("社区列表（\(communities) 个）", "/public"), ("社区公示栏", "/public/\(middle)"),
                     ("会议公示", "/public/\(middle)/meetings/\(meeting)"), ("议事结果", "/public/\(middle)/topics/\(topic)"),
                     ("金点子", "/public/\(middle)/ideas"), ("我要反映（表单）", "/public/\(middle)/raise"),
                     ("查进度（回执号）", "/public/\(middle)/receipt?code=ABCDE-FGHJK")]
        // Residents' requests arrive spread out, as many residents, not as one script: 100 a
        // second, inside the board's budget (200), each from its own address as the proxy in
        // front of the central reports it (a receipt lookup is limited per address). The
        // figures are then what the page costs, not the budget's wait.
        var timings: [DeskBenchmark.Timing] = []
        var resident = 0
        func paced(_ path: String) throws -> Double {
            resident += 1
            let started = DispatchTime.now().uptimeNanoseconds
            let seconds = try timed(central, path, from: "10.\(resident / 65_536 % 256).\(resident / 256 % 256).\(resident % 256)")
            let spent = DispatchTime.now().uptimeNanoseconds - started
            if spent < 10_000_000 { usleep(UInt32((10_000_000 - spent) / 1_000)) }
            return seconds
        }
        for (name, path) in pages {
            var samples: [Double] = []
            for _ in 0..<requests { samples.append(try paced(path)) }
            timings.append(timing(name, samples))
        }
        // A community's board the first time it is asked for (rendered, then kept).
        var cold: [Double] = []
        for index in 0..<min(communities, requests) where index != communities / 2 {
            cold.append(try paced("/public/\(OfficeBenchmark.name(index))"))
        }
        timings.append(timing("社区公示栏（首次打开）", cold))

        let client = CurlClient()
        // The station's edits for every round, made at once and handed to it a round at a time.
        let edits = try RemoteApplyBenchmark.makeOps(count: syncOps * 6, replica: writerID, scope: run)
        var round = 0
        func syncRate() async throws -> Double {
            try station.receive(Array(edits[round * syncOps..<(round + 1) * syncOps]))
            round += 1
            let push = try await Measure.secondsAsync { _ = try SyncSession(replica: station, client: client, central: url, key: key).run() }
            let pull = try await Measure.secondsAsync { _ = try SyncSession(replica: reader, client: client, central: url, key: readerKey).run() }
            return Double(syncOps) / (push + pull)
        }
        let alone = try await syncRate()
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile) else {
            return Result(district: district, timings: timings, syncAlone: alone, syncLoaded: nil, boardRequests: nil, wrkMissing: true)
        }
        let output = Pipe()
        let load = Process()
        load.executableURL = URL(fileURLWithPath: wrk)
        load.arguments = ["-t", "2", "-c", "64", "-d", "30s", "\(url)/public/\(middle)"]
        load.standardOutput = output
        load.standardError = FileHandle.nullDevice
        try load.run()
        try await Task.sleep(for: .seconds(3))
        var loaded: [Double] = []
        while load.isRunning, loaded.count < 5 { loaded.append(try await syncRate()) }
        load.waitUntilExit()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let perSecond = firstMatch(#"Requests/sec:\s+([0-9.]+)"#, in: report).flatMap(Double.init)
        return Result(district: district, timings: timings, syncAlone: alone, syncLoaded: loaded.isEmpty ? nil : loaded.reduce(0, +) / Double(loaded.count),
                      boardRequests: perSecond, wrkMissing: false)
    }

    static func timed(_ daemon: DeskBenchmark.Daemon, _ path: String, from address: String) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let answer = try daemon.get(path, cookie: nil, headers: ["X-Forwarded-For": address])
        guard answer.status == 200 || (path.contains("receipt?code=") && answer.status == 404) else {
            throw SyncSetupError("\(path) answered \(answer.status)")
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func timing(_ name: String, _ samples: [Double]) -> DeskBenchmark.Timing {
        let sorted = samples.sorted()
        return .init(name: name, samples: sorted.count, p50: sorted[sorted.count / 2] * 1000,
                     p99: sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))] * 1000)
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}
