import Foundation
import Testing
import YishiCentral
import YishiPostgres
import YishiSync
import YishiTestSupport

/// The stations' registry behaves the same in stations.sqlite (one central) and in
/// PostgreSQL (several): the same story, told to both, gets the same answers and the
/// same Chinese refusals.
@Suite(.enabled(if: TestDatabase.available, "needs the test cluster: YISHI_TEST_POSTGRES (scripts/postgres-cluster)"))
struct StationDirectoryTests {
    /// Keys as `yishi key` prints them.
    static func keys(_ count: Int) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try (0..<count).map { index in
            let directory = folder.appendingPathComponent("\(index)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try StationKey.create(in: directory).publicKeyText
        }
    }

    /// Every answer and refusal of one story, in order, as text to compare.
    static func story(_ directory: any StationDirectory, keys: [String]) async throws -> [String] {
        var said: [String] = []
        func attempt(_ what: String, _ body: () async throws -> String) async {
            do { said.append("\(what): \(try await body())") } catch { said.append("\(what): ✗ \(error)") }
        }
        await attempt("新站点") { "\(try await directory.enroll(id: "HL3-01", community: "HL3", publicKey: keys[0], newBox: false, now: 1_000))" }
        await attempt("同一把钥匙") { "\(try await directory.enroll(id: "HL3-01", community: "HL3", publicKey: keys[0], newBox: false, now: 1_100))" }
        await attempt("改社区") { "\(try await directory.enroll(id: "HL3-01", community: "DX1", publicKey: keys[0], newBox: false, now: 1_200))" }
        await attempt("坏公钥") { "\(try await directory.enroll(id: "HL3-02", community: "HL3", publicKey: "abc", newBox: false, now: 1_200))" }
        await attempt("坏编号") { "\(try await directory.enroll(id: "HL3 02", community: "HL3", publicKey: keys[3], newBox: false, now: 1_200))" }
        await attempt("未登记换设备") { "\(try await directory.enroll(id: "HL3-09", community: "HL3", publicKey: keys[3], newBox: true, now: 1_200))" }
        await attempt("换钥匙") { "\(try await directory.enroll(id: "HL3-01", community: "HL3", publicKey: keys[1], newBox: false, now: 2_000))" }
        await attempt("旧钥匙") { "\(try await directory.enroll(id: "HL3-02", community: "HL3", publicKey: keys[0], newBox: false, now: 2_100))" }
        await attempt("换设备用旧钥匙") { "\(try await directory.enroll(id: "HL3-01", community: "HL3", publicKey: keys[1], newBox: true, now: 2_200))" }
        await attempt("换设备") { "\(try await directory.enroll(id: "HL3-01", community: "HL3", publicKey: keys[2], newBox: true, now: 3_000))" }
        await attempt("再换设备") { "\(try await directory.enroll(id: "HL3-01", community: "HL3", publicKey: keys[3], newBox: true, now: 4_000))" }
        await attempt("以前的设备") { try await directory.formerReplicas(of: "HL3-01").joined(separator: ",") }
        await attempt("停用的钥匙") { try await directory.retiredKeys(of: "HL3-01").map { keys.firstIndex(of: $0).map(String.init) ?? "?" }.sorted().joined(separator: ",") }
        await attempt("请求序号 5") { "\(try await directory.claim(sequence: 5, for: "HL3-01"))" }
        await attempt("重放 5") { "\(try await directory.claim(sequence: 5, for: "HL3-01"))" }
        await attempt("被超过的 4") { "\(try await directory.claim(sequence: 4, for: "HL3-01"))" }
        await attempt("请求序号 6") { "\(try await directory.claim(sequence: 6, for: "HL3-01"))" }
        await attempt("游标") {
            try await directory.record(cursor: 90, for: "HL3-01")
            try await directory.record(cursor: 40, for: "HL3-01")
            try await directory.record(contact: 5_000, stationTime: 4_200, for: "HL3-01")
            let station = try await directory.station("HL3-01")
            return "\(station?.cursor ?? 0) \(station?.lastContact ?? 0) \(station?.skew ?? 0) \(station?.replica ?? "") \(station?.keySince ?? 0)"
        }
        await attempt("第二个站点") { "\(try await directory.enroll(id: "DX1-01", community: "DX1", publicKey: keys[4], newBox: false, now: 5_000))" }
        await attempt("停用") {
            try await directory.revoke(id: "DX1-01")
            return "\(try await directory.station("DX1-01")?.revoked ?? false)"
        }
        await attempt("停用未登记") { try await directory.revoke(id: "QJ2-01"); return "" }
        await attempt("重新启用") { "\(try await directory.enroll(id: "DX1-01", community: "DX1", publicKey: keys[4], newBox: false, now: 6_000))" }
        await attempt("全部") { try await directory.stations().map { "\($0.id)/\($0.community)/\($0.revoked)" }.joined(separator: " ") }
        await attempt("没有的站点") { "\(try await directory.station("QJ2-01") == nil)" }
        return said
    }

    @Test func theSameStoryGetsTheSameAnswersOnBothBackends() async throws {
        let keys = try Self.keys(5)
        let folder = TemporaryDirectory()
        let sqlite = try await Self.story(try StationRegistry(folder.url.appendingPathComponent("stations.sqlite")), keys: keys)
        let postgres = try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                try await Self.story(database.stations, keys: keys)
            }
        }
        #expect(postgres == sqlite)
        // And the story is the one the rule tells, not two equal mistakes.
        #expect(sqlite[0] == "新站点: new")
        #expect(sqlite[2].contains("不能改到 DX1"))
        #expect(sqlite[7].contains("已经停用的旧密钥"))
        #expect(sqlite[9] == "换设备: newBox(replica: \"HL3-01.2\", former: \"HL3-01\")")
        #expect(sqlite[10] == "再换设备: newBox(replica: \"HL3-01.3\", former: \"HL3-01.2\")")
        #expect(sqlite[11] == "以前的设备: HL3-01,HL3-01.2")
        #expect(sqlite[13...16] == ["请求序号 5: true", "重放 5: false", "被超过的 4: false", "请求序号 6: true"])
        #expect(sqlite[17] == "游标: 90 5000 800 HL3-01.3 4000")
        #expect(sqlite[20].contains("没有登记过站点 QJ2-01"))
    }

    /// A replay sent to two processes at the same moment is taken by one of them.
    @Test func aRequestSequenceIsClaimedOnceAcrossProcesses() async throws {
        let key = try Self.keys(1)[0]
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { one in
                try await TestDatabase.withCentral(location, password) { two in
                    _ = try await one.stations.enroll(id: "HL3-01", community: "HL3", publicKey: key, newBox: false, now: 1)
                    for sequence in UInt64(1)...30 {
                        async let first = one.stations.claim(sequence: sequence, for: "HL3-01")
                        async let second = two.stations.claim(sequence: sequence, for: "HL3-01")
                        let taken = [try await first, try await second].filter { $0 }.count
                        #expect(taken == 1, "sequence \(sequence) taken \(taken) times")
                    }
                }
            }
        }
    }

    /// `yours` and `have`: an origin's ops held without a gap, however they arrived.
    @Test func anOriginsOpsAreCountedUpToTheFirstGap() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                let log = database.log
                func ops(_ counters: [Int64]) -> [ArrivalLog.Entry] { counters.map { ArrivalLogTests.entry("HL3-01", $0, "HL3") } }
                #expect(try await log.held(of: "HL3-01") == 0)
                try await log.store(ops([1, 2, 3]))
                #expect(try await log.held(of: "HL3-01") == 3)
                try await log.store(ops([5, 6]))
                #expect(try await log.held(of: "HL3-01") == 3)
                try await log.store(ops([4]))
                #expect(try await log.held(of: "HL3-01") == 6)
                try await log.store(ops([2, 3, 7]))
                #expect(try await log.held(of: "HL3-01") == 7)
                #expect(try await log.held(of: "HL3-02") == 0)
            }
        }
    }
}
