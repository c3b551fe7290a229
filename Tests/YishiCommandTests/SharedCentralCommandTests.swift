import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import YishiCentral
import YishiTestSupport

/// `yishi central … --database`: the real binary, several central processes on the test
/// run's private PostgreSQL cluster (`scripts/postgres-cluster`, named by
/// `YISHI_TEST_POSTGRES`; required when CI=true), real stations syncing through libcurl.
@Suite(.enabled(if: PostgresForCommands.available, "没有测试用的 PostgreSQL（YISHI_TEST_POSTGRES）"))
struct SharedCentralCommandTests {
    /// A single central's records moved into PostgreSQL with `central migrate`, then two
    /// processes serve them: a station syncs through either, one process is killed with
    /// SIGKILL in the middle of a push, the station sends the rest through the other, and
    /// a process started again on its old folder, or on an empty one, catches up.
    @Test func twoProcessesServeTheStationsAndOneIsKilledMidPush() throws {
        let folder = TemporaryDirectory()
        var database = try PostgresForCommands.freshDatabase()
        let one = try folder.station("HL3-01"), two = try folder.station("HL3-02")

        // A single central first, with one station's records.
        let single = try CentralUnderTest(folder.path("central"))
        try single.enroll(one, id: "HL3-01", community: "HL3")
        try single.enroll(two, id: "HL3-02", community: "HL3")
        for index in 1...3 { try YishiBinary.ok(["topic", "raise", "--title", "路灯\(index)", "--channel", "说事点"], data: one) }
        let old = try CentralProcess(data: single.data)
        #expect(try sync(one, old.url).status == 0)
        old.stop()

        let migrated = try YishiBinary.ok(["central", "migrate", "--to", database.url, "--database-password-file", database.passwordFile],
                                          data: single.data)
        #expect(migrated.contains("个站点") && migrated.contains("street.key"))
        // Every process loads the single central's street key, which its stations trust.
        database.streetKey = StreetKey.url(in: single.data).path
        let again = try YishiBinary.run(["central", "migrate", "--to", database.url, "--database-password-file", database.passwordFile],
                                        data: single.data)
        #expect(again.status != 0 && again.stderr.contains("已经有一个中心"), "\(again.stderr)")

        let a = try CentralProcess(data: folder.path("view-a"), arguments: database.serving)
        let b = try CentralProcess(data: folder.path("view-b"), arguments: database.serving)
        // What the station pushed to the single central is there, through the other process.
        #expect(try sync(two, b.url).status == 0)
        #expect(try YishiBinary.ok(["topic", "list"], data: two).contains("路灯3"))

        // Many edits, a push through A killed midway, the rest through B.
        for index in 4...60 { try YishiBinary.ok(["topic", "raise", "--title", "路灯\(index)", "--channel", "说事点"], data: one) }
        let pushing = YishiBinary.configured(["sync", "--once", "--central", a.url], data: one, author: "")
        pushing.standardOutput = FileHandle.nullDevice
        pushing.standardError = FileHandle.nullDevice
        try pushing.run()
        usleep(UInt32.random(in: 20_000...200_000))
        a.kill()
        pushing.waitUntilExit()
        #expect(try sync(one, b.url).status == 0)
        #expect(try sync(two, b.url).status == 0)
        #expect(try digest(one) == digest(two))
        // The database's own view of the community, merged as everywhere: the same digest.
        let central = try YishiBinary.ok(["central", "digest", "--scope", "HL3"] + database.arguments, data: folder.path("elsewhere"))
        #expect(central.trimmingCharacters(in: .whitespacesAndNewlines) == (try digest(one)))

        // A started again on its folder, and a new process on an empty one, both serve
        // the same answers: the second station has nothing left to pull from either.
        let aAgain = try CentralProcess(data: folder.path("view-a"), arguments: database.serving)
        let c = try CentralProcess(data: folder.path("view-c"), arguments: database.serving)
        for central in [aAgain, c] {
            let result = try sync(two, central.url)
            #expect(result.status == 0 && result.stdout.contains("下载 0 条"), "\(result.stdout) \(result.stderr)")
            let health = PostgresForCommands.get(central.url + "/healthz")
            #expect(health.status == 200 && health.body.contains("PostgreSQL") && health.body.contains("结构第"), "\(health)")
        }
        // The stations listed from the database are the ones the single central enrolled.
        let stations = try YishiBinary.ok(["central", "stations"] + database.arguments, data: folder.path("elsewhere"))
        #expect(stations.contains("HL3-01") && stations.contains("HL3-02"))
        // The old single central's folder is not a process's folder: it is refused, with why.
        let refused = try YishiBinary.run(["central", "serve", "--port", "0"] + database.serving, data: single.data)
        #expect(refused.status == 78 && refused.stderr.contains("单机中心"), "\(refused.stderr)")
        for process in [b, aAgain, c] { process.stop() }
        // A process's folder follows one database: pointed at another, it is refused.
        let other = try PostgresForCommands.freshDatabase()
        let elsewhere = try YishiBinary.run(["central", "serve", "--port", "0"] + other.serving, data: folder.path("view-a"))
        #expect(elsewhere.status == 78 && elsewhere.stderr.contains("另一个中心数据库"), "\(elsewhere.stderr)")
    }

    /// Under systemd: READY=1 once the port is bound and the database answered; SIGTERM a
    /// clean stop.
    @Test func aProcessOnTheDatabaseNotifiesReadyAndStopsCleanly() throws {
        let folder = TemporaryDirectory()
        let database = try PostgresForCommands.freshDatabase()
        let notify = try NotifySocket(directory: folder.url)
        let process = YishiBinary.configured(["central", "serve", "--port", "0"] + database.serving, data: folder.path("view"), author: "")
        process.environment?["NOTIFY_SOCKET"] = notify.path
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        #expect(notify.await("READY=1", seconds: 30).last?.contains("READY=1") == true)
        kill(process.processIdentifier, SIGTERM)
        #expect(notify.await("STOPPING=1", seconds: 15).contains("STOPPING=1"))
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    /// A wrong address is the box's set-up: exit 78, which the unit does not restart into.
    /// A server that does not answer is a failure systemd retries. Both say why in Chinese.
    @Test func aWrongAddressIsRefusedAndAnAbsentServerIsAFailure() throws {
        let folder = TemporaryDirectory()
        let wrong = try YishiBinary.run(["central", "serve", "--port", "0", "--database", "mysql://db/yishi"], data: folder.path("v"))
        #expect(wrong.status == 78 && wrong.stderr.contains("postgresql://"), "\(wrong.status) \(wrong.stderr)")
        let withPassword = try YishiBinary.run(["central", "serve", "--port", "0", "--database", "postgresql://yishi:secret@127.0.0.1/yishi"],
                                               data: folder.path("v"))
        #expect(withPassword.status == 78 && withPassword.stderr.contains("密码"), "\(withPassword.stderr)")
        let port = freePort()
        let absent = try YishiBinary.run(["central", "serve", "--port", "0", "--database", "postgresql://yishi@127.0.0.1:\(port)/yishi"],
                                         data: folder.path("v"))
        #expect(absent.status == 1 && absent.stderr.contains("打不开中心的数据库"), "\(absent.status) \(absent.stderr)")
    }

    private func digest(_ station: URL) throws -> String {
        try YishiBinary.ok(["digest", "--scope", "HL3"], data: station).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The test run's PostgreSQL cluster, used through `psql` to make a database per test.
enum PostgresForCommands {
    static let environment = ProcessInfo.processInfo.environment
    static var available: Bool { environment["YISHI_TEST_POSTGRES"] != nil || environment["CI"] == "true" }

    struct Database {
        var url: String
        var passwordFile: String
        /// The street's key every process on this database loads (a file copied to each box).
        var streetKey: String
        var arguments: [String] { ["--database", url, "--database-password-file", passwordFile] }
        /// What `central serve` is given: the database and the street's key.
        var serving: [String] { arguments + ["--street-key", streetKey] }
    }

    /// A new, empty database on the cluster (left for the cluster's removal at the end).
    static func freshDatabase() throws -> Database {
        let server = try #require(environment["YISHI_TEST_POSTGRES"], "CI=true 但没有 YISHI_TEST_POSTGRES")
        let passwordFile = try #require(environment["YISHI_TEST_POSTGRES_PASSWORD_FILE"])
        let name = "yishi_c_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = ["--quiet", "--no-psqlrc", server, "--command", "CREATE DATABASE \(name)"]
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = try String(contentsOfFile: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        psql.environment = environment
        try psql.run()
        psql.waitUntilExit()
        try #require(psql.terminationStatus == 0, "psql CREATE DATABASE failed")
        let base = server.hasSuffix("/postgres") ? String(server.dropLast("postgres".count)) : server + "/"
        let keyFolder = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-street-\(name)")
        try FileManager.default.createDirectory(at: keyFolder, withIntermediateDirectories: true)
        let street = StreetKey.url(in: keyFolder)
        try StreetKey.create(at: street)
        return Database(url: base + name, passwordFile: passwordFile, streetKey: street.path)
    }

    /// A GET on loopback: the status and the body.
    static func get(_ url: String) -> (status: Int, body: String) {
        let done = DispatchSemaphore(value: 0)
        let answer = Locked<(Int, String)>((0, ""))
        URLSession.shared.dataTask(with: URL(string: url)!) { data, response, _ in
            answer.set(((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self)))
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 30)
        return answer.get()
    }
}

/// A value set from a callback's thread and read after it signalled.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func set(_ new: Value) { lock.withLock { value = new } }
    func get() -> Value { lock.withLock { value } }
}
