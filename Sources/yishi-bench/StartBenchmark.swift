import Foundation

/// How long the station daemon takes from its start to READY=1, and what memory it holds
/// then, for the binary that ships: the release build here, or the binary the Debian
/// package installed in a bare Debian box (`--root`, run there as the `yishi` user with the
/// installed config, as its unit runs it). Beside it, the same binary's `yishi --version`:
/// what starting the process at all costs (loading, relocations), so the rest is the
/// daemon's own start.
enum StartBenchmark {
    struct Memory {
        var rss: Double
        var pss: Double
        var anonymous: Double
    }

    struct Result {
        var binary: String
        var binaryMegabytes: Double
        var starts: [Double]
        var versionRuns: [Double]
        var memory: Memory?
    }

    /// `root`: a box the package is installed and set up in; nil: a station made here for
    /// `yishi` in the build folder.
    static func run(root: String?, starts: Int) throws -> Result {
        let folder = Measure.temporaryDirectory("start")
        defer { try? FileManager.default.removeItem(at: folder) }
        let command: [String]
        let binary: String
        let socketDirectory: URL
        let socketName: String
        if let root {
            binary = root + "/usr/bin/yishi"
            command = ["/usr/sbin/chroot", "--userspec=yishi:yishi", root, "/usr/bin/yishi", "station", "run", "--config", "/etc/yishi/station.toml"]
            socketDirectory = URL(fileURLWithPath: root + "/run")
            socketName = "/run/yishi-bench-notify"
        } else {
            binary = FileManager.default.currentDirectoryPath + "/.build/release/yishi"
            let data = folder.appendingPathComponent("station")
            try launch([binary, "init", "--station", "HL3-01", "--community", "HL3", "--data", data.path]).waitUntilExit()
            let config = folder.appendingPathComponent("station.toml")
            try Data("data = \"\(data.path)\"\ncentral = \"http://127.0.0.1:9\"\ndesk_listen = \"127.0.0.1:0\"\n".utf8).write(to: config)
            command = [binary, "station", "run", "--config", config.path]
            socketDirectory = folder
            socketName = folder.appendingPathComponent("yishi-bench-notify").path
        }
        let size = (try FileManager.default.attributesOfItem(atPath: binary)[.size] as? NSNumber)?.doubleValue ?? 0
        let socketPath = socketDirectory.appendingPathComponent("yishi-bench-notify").path
        let notify = try NotifyListener(path: socketPath)
        defer { notify.close() }

        var times: [Double] = []
        var memory: Memory?
        let environment = ["NOTIFY_SOCKET=\(socketName)", "PATH=/usr/bin:/bin", "LANG=C.UTF-8"]
        for index in 0..<starts {
            let started = DispatchTime.now().uptimeNanoseconds
            let pid = try spawn(command, environment: environment)
            guard notify.wait(for: "READY=1", seconds: 60) else {
                kill(pid, SIGKILL)
                throw BenchError("station run did not become ready: \(command.joined(separator: " "))")
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            if index == starts - 1 {
                // Settled, as a box is once the first sync attempt is behind it.
                Thread.sleep(forTimeInterval: 2)
                memory = read(pid)
            }
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        let versionCommand = root.map { ["/usr/sbin/chroot", "--userspec=yishi:yishi", $0, "/usr/bin/yishi", "--version"] }
            ?? [binary, "--version"]
        var versions: [Double] = []
        for _ in 0..<starts {
            versions.append(try Measure.seconds {
                var status: Int32 = 0
                waitpid(try spawn(versionCommand, environment: environment), &status, 0)
            })
        }
        return Result(binary: binary, binaryMegabytes: size / 1_048_576, starts: times, versionRuns: versions, memory: memory)
    }

    /// posix_spawn and waitpid directly: Foundation's Process waits for its child on a run
    /// loop that looks every 50 ms, which would be most of what is measured here.
    static func spawn(_ command: [String], environment: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, command[0], &actions, nil, argv, envp) == 0 else {
            throw BenchError("cannot start \(command[0])")
        }
        return pid
    }

    static func launch(_ command: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// RSS, PSS and anonymous (the process's own, not file-backed) memory in MB.
    static func read(_ pid: Int32) -> Memory? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Double {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
                  let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
            return kilobytes / 1024
        }
        return Memory(rss: field("Rss"), pss: field("Pss"), anonymous: field("Anonymous"))
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// The systemd side of sd_notify for the benchmark: a datagram socket the daemon writes
/// READY=1 to. (A few lines of socket calls; no library does less.)
final class NotifyListener {
    let descriptor: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw StartBenchmark.BenchError("cannot bind \(path)") }
        chmod(path, 0o777)
    }

    /// Waits for a datagram containing `text`.
    func wait(for text: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0, String(decoding: buffer[..<count], as: UTF8.self).contains(text) { return true }
        }
        return false
    }

    func close() {
        Glibc.close(descriptor)
        unlink(path)
    }
}
