import Foundation
import Testing
import YishiTestSupport

/// Runs the real `yishi` binary built next to this test bundle.
enum YishiBinary {
    static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["YISHI_BIN"] { return URL(fileURLWithPath: path) }
        var folder = Bundle.main.executableURL!.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("yishi").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("yishi")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs to completion and returns what it printed.
    @discardableResult
    static func run(_ arguments: [String], data: URL? = nil, author: String = "测试员", stdin: String? = nil,
                    now: String? = nil) throws -> Result {
        let process = configured(arguments, data: data, author: author, now: now)
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs and requires success, returning stdout.
    @discardableResult
    static func ok(_ arguments: [String], data: URL? = nil, author: String = "测试员") throws -> String {
        let result = try run(arguments, data: data, author: author)
        #expect(result.status == 0, "yishi \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return result.stdout
    }

    static func configured(_ arguments: [String], data: URL?, author: String, now: String? = nil) -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["YISHI_AUTHOR"] = author
        environment["YISHI_TEST_TOOLS"] = "1"
        if let data { environment["YISHI_DATA"] = data.path }
        environment["YISHI_NOW"] = now
        process.environment = environment
        return process
    }
}

extension TemporaryDirectory {
    /// A new station's data directory, made by `yishi init`.
    func station(_ id: String, community: String = "HL3") throws -> URL {
        let data = path(id)
        try YishiBinary.ok(["init", "--station", id, "--community", community], data: data)
        return data
    }

    /// New stations of one community enrolled at one office, each trusting its street and
    /// holding the community's directory, with no central running: bundles pass between them
    /// and every op is checked, as between boxes that synced once and then lost the network.
    func trustedStations(_ ids: [String], community: String = "HL3") throws -> [URL] {
        let stations = try ids.map { try station($0, community: community) }
        let office = try CentralUnderTest(path("office-\(community)"))
        for (id, data) in zip(ids, stations) { try office.enroll(data, id: id, community: community) }
        try office.hand(directoryOf: community, to: stations)
        return stations
    }
}
