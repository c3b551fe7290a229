import Foundation
import Testing

/// The real central node, `yishi central serve --port 0`, in a process of its own.
final class CentralProcess {
    let process: Process
    let url: String

    /// `arguments` are added to `central serve` (`--tls-certificate …`); `wrapper` runs it
    /// under another program (`prlimit --nofile=1024:1024`).
    init(data: URL, arguments: [String] = [], wrapper: [String] = []) throws {
        process = YishiBinary.configured(["central", "serve", "--port", "0"] + arguments, data: data, author: "")
        if let program = wrapper.first {
            process.arguments = Array(wrapper.dropFirst()) + [process.executableURL!.path] + (process.arguments ?? [])
            process.executableURL = URL(fileURLWithPath: program)
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The server prints its address once the port is bound.
        var seen = ""
        let deadline = Date().addingTimeInterval(30)
        while !seen.contains("中心已启动："), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { usleep(20_000) } else { seen += String(decoding: chunk, as: UTF8.self) }
        }
        guard let range = seen.range(of: #"https?://127\.0\.0\.1:\d+"#, options: .regularExpression) else {
            process.terminate()
            throw CentralError(message: "central did not start: \(seen)")
        }
        url = String(seen[range])
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    struct CentralError: Error { var message: String }
}

/// A central data directory with stations enrolled.
struct CentralUnderTest {
    let data: URL

    init(_ folder: URL) throws {
        data = folder
        try YishiBinary.ok(["central", "init"], data: data)
    }

    /// A central data directory made some other way (by an earlier release).
    init(data: URL) {
        self.data = data
    }

    func enroll(_ station: URL, id: String, community: String) throws {
        let key = try YishiBinary.ok(["key"], data: station).trimmingCharacters(in: .whitespacesAndNewlines)
        try YishiBinary.ok(["central", "enroll", "--station", id, "--community", community, "--key", key], data: data)
    }

    func digest(_ scope: String) throws -> String {
        try YishiBinary.ok(["central", "digest", "--scope", scope], data: data)
    }

    /// The street's public key, as stations pin it.
    var streetKey: String {
        get throws { try YishiBinary.ok(["central", "street-key"], data: data).split(separator: "\n")[0].trimmingCharacters(in: .whitespaces) }
    }

    /// Makes `station` trust this central's street and hold `community`'s directory, as a
    /// station with no network does from a stick: `yishi trust pin`, `yishi trust load`.
    func hand(directoryOf community: String, to stations: [URL]) throws {
        let file = data.deletingLastPathComponent().appendingPathComponent("directory-\(community)-\(UUID().uuidString).json")
        try YishiBinary.ok(["central", "directory", "--community", community, "--to", file.path], data: data)
        let key = try streetKey
        for station in stations {
            try YishiBinary.ok(["trust", "pin", key], data: station)
            try YishiBinary.ok(["trust", "load", file.path], data: station)
        }
    }
}

/// Syncs a station once; returns the result without requiring success.
func sync(_ station: URL, _ central: String) throws -> YishiBinary.Result {
    try YishiBinary.run(["sync", "--once", "--central", central], data: station)
}

/// Starts `yishi sync --once` for a station and kills it with SIGKILL after 10–250 ms,
/// `times` times: a sync cut off at whatever it was doing.
func syncKilledMidway(_ station: URL, _ central: String, times: Int) throws {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<times {
        let process = YishiBinary.configured(["sync", "--once", "--central", central], data: station, author: "x")
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32.random(in: 10_000...250_000, using: &generator))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
