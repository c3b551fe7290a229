import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import YishiDeliberation
import YishiDesk
import YishiModel
import YishiStationDesk
import YishiStore
import YishiSync

/// The station desk as staff meet it: the release daemon serving a replica of 10,000
/// topics, timed from outside over loopback (p50 and p99 of a page), beside `/healthz` —
/// the same HTTP round trip with no page behind it — as the baseline; and the daemon's
/// memory (RSS and PSS from /proc/PID/smaps_rollup), idle and while serving, beside the
/// same daemon on an empty replica.
enum DeskBenchmark {
    struct Timing {
        var name: String
        var samples = 0
        var p50: Double
        var p99: Double
    }

    struct Memory {
        var rss: Double
        var pss: Double
    }

    struct Result {
        var topics: Int
        var seedSeconds: Double
        var timings: [Timing]
        var emptyIdle: Memory?
        var idle: Memory?
        var serving: Memory?
    }

    static func run(topics count: Int, requests: Int) async throws -> Result {
        let folder = Measure.temporaryDirectory("desk")
        defer { try? FileManager.default.removeItem(at: folder) }
        let now = LocalDateTime("2026-11-20 09:00")!

        // An empty station first: the baseline for memory.
        let empty = try station(folder, "HL3-02")
        let emptyDaemon = try await Daemon(data: empty.directory.url, folder: folder, now: now)
        try await Task.sleep(for: .seconds(2))
        let emptyIdle = emptyDaemon.memory()
        emptyDaemon.stop()

        // 10,000 topics raised through the loop, as the desk and the command line write them.
        let replica = try station(folder, "HL3-01")
        let loop = Deliberation(replica: replica, rules: CommunityRules(), now: { now })
        let seedSeconds = try Measure.seconds {
            for index in 0..<count {
                let draft = TopicDraft(
                    title: "第\(index)号：\(["北门垃圾分类设施选址", "楼道灯不亮", "停车位不够", "广场舞噪音", "电梯维修"][index % 5])",
                    description: "居民反映的情况，第\(index)条。需要协商解决。", channel: Vocabulary.channels[index % Vocabulary.channels.count],
                    proposer: Proposer(name: "居民\(index % 300)"), category: Vocabulary.categories[index % Vocabulary.categories.count],
                    raisedOn: LocalDate(dayNumber: now.date.dayNumber - index % 320))
                _ = try loop.raise(draft, by: "王芳")
            }
        }
        let daemon = try await Daemon(data: replica.directory.url, folder: folder, now: now)
        defer { daemon.stop() }
        try await Task.sleep(for: .seconds(2))
        let idle = daemon.memory()
        let cookie = try daemon.login()
        let middle = String(format: "HL3-01-2026-%04d", count / 2)
        let pages = [("/healthz（基线）", "/healthz"), ("议题列表（第 1 页）", "/topics"), ("议题列表（第 100 页）", "/topics?page=100"),
                     ("议题列表（搜索“垃圾分类”）", "/topics?q=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB"),
                     ("议题页面", "/topics/\(middle)"), ("今日", "/today")]
        var timings: [Timing] = []
        var serving = Memory(rss: 0, pss: 0)
        for (name, path) in pages {
            var samples: [Double] = []
            for index in 0..<requests {
                samples.append(try daemon.time(path, cookie: cookie))
                if index % 20 == 0, let now = daemon.memory(), now.pss > serving.pss { serving = now }
            }
            samples.sort()
            timings.append(Timing(name: name, p50: samples[samples.count / 2] * 1000,
                                  p99: samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))] * 1000))
        }
        return Result(topics: count, seedSeconds: seedSeconds, timings: timings, emptyIdle: emptyIdle, idle: idle,
                      serving: serving.pss > 0 ? serving : nil)
    }

    static func station(_ folder: URL, _ id: String) throws -> Replica {
        let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent(id)), replica: id, community: "HL3")
        _ = try StationKey.create(in: replica.directory.url)
        let staff = try StaffDirectory(file: replica.directory.url.appendingPathComponent(StaffDirectory.fileName), roles: StationRole.names)
        try staff.add(name: "王芳", role: "社区工作者", password: "mima12345")
        return replica
    }

    /// The release `yishi station run` next to this benchmark, its desk on a free port.
    final class Daemon: @unchecked Sendable {
        let process = Process()
        let log: URL
        let user: String
        var port = 0

        convenience init(data: URL, folder: URL, now: LocalDateTime) async throws {
            let config = data.appendingPathComponent("station.toml")
            try Data("data = \"\(data.path)\"\ncentral = \"http://127.0.0.1:9\"\ndesk_listen = \"127.0.0.1:0\"\n".utf8).write(to: config)
            try await self.init(arguments: ["station", "run", "--config", config.path], log: data.appendingPathComponent("daemon.log"),
                                now: now, started: #"站点工作台已启动：http://127\.0\.0\.1:\d+"#)
        }

        /// The release `yishi` with `arguments`, once its log (stdout and stderr) shows
        /// `started` ending in the port it serves on.
        init(arguments: [String], log: URL, now: LocalDateTime, started: String, user: String = "王芳") async throws {
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("yishi")
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw DeskError("build yishi in release too: bash scripts/build-release")
            }
            self.log = log
            self.user = user
            guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
                throw DeskError("cannot create the daemon's log at \(log.path)")
            }
            process.executableURL = binary
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["YISHI_NOW": now.description]) { $1 }
            process.standardOutput = try FileHandle(forWritingTo: log)
            process.standardError = process.standardOutput
            try process.run()
            for _ in 0..<600 {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: started, options: .regularExpression),
                   let found = Int(text[range].split(separator: ":").last!) {
                    port = found
                    return
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw DeskError("\(arguments.joined(separator: " ")) did not start: " + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
        }

        func stop() { SyncBenchmark.stop(process) }

        /// RSS and PSS in MB from the kernel's rollup of the process's mappings.
        func memory() -> Memory? {
            guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/smaps_rollup", encoding: .utf8) else { return nil }
            func field(_ name: String) -> Double {
                guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                      let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
                return kilobytes / 1024
            }
            return Memory(rss: field("Rss"), pss: field("Pss"))
        }

        /// Whether the process used more than a tenth of a core over the next two seconds.
        func busy() async throws -> Bool {
            func ticks() -> Int {
                guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
                      let close = text.lastIndex(of: ")") else { return 0 }
                // After the command's name: state is field 3, utime and stime fields 14 and 15.
                let fields = text[text.index(after: close)...].split(separator: " ")
                return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
            }
            let before = ticks()
            try await Task.sleep(for: .seconds(2))
            return Double(ticks() - before) / Double(sysconf(Int32(_SC_CLK_TCK))) > 0.2
        }

        /// How many ops a central process's view has applied from the database (/healthz).
        func applied() throws -> Int {
            let body = try get("/healthz", cookie: nil).body
            guard let range = body.range(of: #"已从数据库应用 \d+ 条"#, options: .regularExpression) else { return 0 }
            return Int(body[range].filter(\.isNumber)) ?? 0
        }

        func login() throws -> String {
            let page = try get("/login", cookie: nil)
            guard let token = page.body.range(of: #"name="_csrf" value="[0-9a-f]+""#, options: .regularExpression)
                .map({ String(page.body[$0].split(separator: "\"")[3]) }),
                  let loginCookie = page.cookies.first(where: { $0.hasPrefix("yishi_login=") })
            else { throw DeskError("no login form") }
            let name = user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? user
            let answer = try send("/login", cookie: loginCookie, body: "_csrf=\(token)&name=\(name)&password=mima12345")
            guard let session = answer.cookies.first(where: { $0.hasPrefix("yishi_session=") }) else { throw DeskError("login failed") }
            return session
        }

        func time(_ path: String, cookie: String) throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            let answer = try get(path, cookie: cookie)
            guard answer.status == 200 else { throw DeskError("\(path) answered \(answer.status)") }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }

        func get(_ path: String, cookie: String?, headers: [String: String] = [:]) throws -> (status: Int, body: String, cookies: [String]) {
            try send(path, cookie: cookie, body: nil, headers: headers)
        }

        /// One request, synchronously (the figures are round trips, one at a time).
        func send(_ path: String, cookie: String?, body: String?, headers: [String: String] = [:]) throws
            -> (status: Int, body: String, cookies: [String])
        {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: 600)
            request.httpShouldHandleCookies = false
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
            if let body {
                request.httpMethod = "POST"
                request.httpBody = Data(body.utf8)
                request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            }
            let done = DispatchSemaphore(value: 0)
            let box = Box()
            NoRedirects.session.dataTask(with: request) { data, response, error in
                box.value = (data, response as? HTTPURLResponse, error)
                done.signal()
            }.resume()
            done.wait()
            guard let response = box.value?.1 else { throw DeskError("no answer for \(path): \(String(describing: box.value?.2))") }
            let cookies = (response.value(forHTTPHeaderField: "Set-Cookie") ?? "").components(separatedBy: ", yishi")
                .enumerated().map { ($0.offset == 0 ? "" : "yishi") + $0.element }.compactMap { $0.split(separator: ";").first.map(String.init) }
            return (response.statusCode, String(decoding: box.value?.0 ?? Data(), as: UTF8.self), cookies)
        }
    }

    final class Box: @unchecked Sendable {
        var value: (Data?, HTTPURLResponse?, Error?)?
    }

    /// A session that leaves redirects to the caller (a login answers 303 with its cookie).
    final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        static let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }
}
