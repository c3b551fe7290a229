import Foundation
import Testing
import YishiTestSupport

/// A station driven through the real command line at a time the test chooses, as a
/// community worker would use it.
struct StationUnderTest {
    let data: URL
    var now: String
    var author = "王芳"

    init(_ folder: TemporaryDirectory, _ id: String, community: String, now: String) throws {
        data = try folder.station(id, community: community)
        self.now = now
    }

    /// A data directory made some other way (restored, or made from the central).
    init(data: URL, now: String) {
        self.data = data
        self.now = now
    }

    /// Runs a command that must succeed; returns what it printed.
    @discardableResult
    func ok(_ arguments: String..., at time: String? = nil) throws -> String {
        let result = try YishiBinary.run(arguments, data: data, author: author, now: time ?? now)
        #expect(result.status == 0, "yishi \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    /// Runs a command that must succeed with --json; returns the named value.
    func value(_ key: String, _ arguments: String...) throws -> String {
        let result = try YishiBinary.run(arguments + ["--json"], data: data, author: author, now: now)
        #expect(result.status == 0, "yishi \(arguments.joined(separator: " ")): \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(object?[key] as? String, "no \(key) in \(result.stdout)")
    }

    /// Runs a command that must be refused with a message containing every fragment, and
    /// must change nothing.
    func refused(_ arguments: String..., mentions: [String], at time: String? = nil) throws {
        let before = try snapshot()
        let result = try YishiBinary.run(arguments, data: data, author: author, now: time ?? now)
        #expect(result.status != 0, "yishi \(arguments.joined(separator: " ")) should be refused")
        for fragment in mentions { #expect(result.stderr.contains(fragment), "«\(result.stderr)» lacks «\(fragment)»") }
        #expect(try snapshot() == before, "yishi \(arguments.joined(separator: " ")) changed something")
    }

    func snapshot() throws -> [String] {
        [try YishiBinary.ok(["digest"], data: data), String(decoding: try Data(contentsOf: data.appendingPathComponent("journal.jsonl")), as: UTF8.self)]
    }

    /// A 两委联席会议 today confirming `topics` for deliberation (001 art. 9 (3)), as every
    /// topic needs before its first meeting unless the community's rules say otherwise.
    func confirm(_ topics: String...) throws {
        let result = try YishiBinary.run(["joint", "hold", "--date", String(now.prefix(10)), "--participant", "张书记", "--participant", "李主任"]
                                             + topics.flatMap { ["--confirm", $0] }, data: data, author: author, now: now)
        #expect(result.status == 0, "yishi joint hold: \(result.stderr)")
    }

    /// Registers a committee of `count` members serving through 2026.
    func committee(_ names: [(String, String)]) throws {
        for (name, category) in names {
            try ok("committee", "add", "--name", name, "--category", category, "--from", "2024-01-01", "--to", "2026-12-31")
        }
    }

    static let tenMembers = [
        ("张书记", "社区党组织代表"), ("李主任", "社区居民委员会代表"), ("赵监督", "居务监督委员会代表"), ("钱网格", "网格员代表"),
        ("孙代表", "居民代表"), ("周大姐", "妇女代表"), ("吴经理", "驻社区单位代表"), ("郑师傅", "社区骨干"),
        ("王代表", "居民代表"), ("冯老师", "居民代表"),
    ]
}

/// A station enrolled at a running central, whose office records what only the street may
/// (a department's answer, its opinion, signing for a filing) and syncs it to the station.
final class StationWithOffice {
    var station: StationUnderTest
    let central: CentralUnderTest
    let server: CentralProcess

    init(_ folder: TemporaryDirectory, _ id: String, community: String, now: String) throws {
        station = try StationUnderTest(folder, id, community: community, now: now)
        central = try CentralUnderTest(folder.path("central"))
        try central.enroll(station.data, id: id, community: community)
        server = try CentralProcess(data: central.data)
    }

    /// Syncs the station, runs an office command at the central, and syncs again: what the
    /// street records reaches the station.
    @discardableResult
    func office(_ arguments: String..., at time: String? = nil) throws -> YishiBinary.Result {
        try sync()
        let result = try YishiBinary.run(arguments, data: central.data, author: "街道民政科", now: time ?? station.now)
        try sync()
        return result
    }

    func sync() throws {
        // The module's free function, which this method's name hides.
        let result = try YishiCommandTests.sync(station.data, server.url)
        #expect(result.status == 0, "\(result.stderr)")
    }

    func stop() { server.stop() }
}
