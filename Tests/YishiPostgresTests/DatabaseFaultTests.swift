import Foundation
import FoundationNetworking
import Testing
import YishiCentral
import YishiMerge
import YishiPostgres
import YishiStore
import YishiSync
import YishiTestSupport

/// The database server killed with SIGKILL in the middle of an ingest and kept away for
/// a while, with two central processes on it and stations editing and syncing through
/// both all along: the processes answer 503 with a Chinese reason, the stations retry,
/// and when the server is back nothing is lost and nothing is doubled. These tests make
/// a cluster of their own (scripts/postgres-cluster), since they kill it.
@Suite(.serialized, .enabled(if: TestDatabase.available, "needs PostgreSQL's server (scripts/postgres-cluster)"))
struct DatabaseFaultTests {
    /// A private cluster for one test, started, killed, halted and restarted by it.
    final class Cluster {
        let folder: String
        let location: DatabaseLocation
        let password: String?
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/postgres-cluster").path

        init() async throws {
            let lines = try await Self.run("start").split(separator: "\n").map(String.init)
            folder = lines[0]
            var location = try DatabaseLocation(lines[1])
            location.tls = .disable
            self.location = location
            password = try DatabasePassword.read(file: lines[2])
        }

        deinit { _ = system("/bin/bash '\(Self.script)' stop '\(folder)'") }

        /// SIGKILL to the postmaster, as a power cut or the OOM killer would.
        func kill() throws {
            let pidFile = try String(contentsOfFile: "\(folder)/data/postmaster.pid", encoding: .utf8)
            let pid = pid_t(pidFile.split(separator: "\n")[0])!
            #expect(Foundation.kill(pid, SIGKILL) == 0)
        }

        func restart() async throws { _ = try await Self.run("restart", folder) }

        /// Runs the script and returns what it printed, on a thread of its own: a restart
        /// may take seconds, and a cooperative thread it blocked would be missed by every
        /// other test running meanwhile. Through system(3), not Foundation's Process,
        /// whose exit is noticed on a run loop that never turned here.
        @discardableResult
        static func run(_ arguments: String...) async throws -> String {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    let output = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-cluster-\(UUID().uuidString)")
                    defer { try? FileManager.default.removeItem(at: output) }
                    let command = (["/bin/bash", script] + arguments).map { "'\($0)'" }.joined(separator: " ") + " > '\(output.path)'"
                    guard system(command) == 0 else {
                        continuation.resume(throwing: SyncSetupError("postgres-cluster \(arguments) failed"))
                        return
                    }
                    continuation.resume(returning: (try? String(contentsOf: output, encoding: .utf8)) ?? "")
                }
            }
        }
    }

    @Test func theDatabaseKilledMidIngestAndAwayLosesAndDoublesNothing() async throws {
        let cluster = try await Cluster()
        var database = cluster.location
        database.database = "yishi"
        try await TestDatabase.admin(cluster.location, cluster.password, "CREATE DATABASE yishi")
        let folder = TemporaryDirectory()
        let one = try await SharedCentralTests.Process(database, cluster.password, folder: folder.path("central-1"))
        let two = try await SharedCentralTests.Process(database, cluster.password, folder: folder.path("central-2"))
        let processes = [one, two]
        try await SharedCentralTests.Process.running(processes) {
            let a = try await SharedCentralTests.station("HL3-01", "HL3", in: folder, enrollAt: one.database.stations)
            let b = try await SharedCentralTests.station("HL3-02", "HL3", in: folder, enrollAt: one.database.stations)
            var rng = SplitMix(seed: 7)
            // A large push, so that the kill lands in the middle of it.
            for round in 0..<300 { try SharedCentralTests.edit(a, &rng, round: round) }
            let bigPush = Task { try await SharedCentralTests.sync(a, through: one) }
            try await Task.sleep(for: .milliseconds(150))
            try cluster.kill()
            _ = await bigPush.result

            // Away for a while: both stations keep editing and syncing through both
            // processes, and hear 503; /healthz says the database does not answer.
            var refusals: [SyncFailure] = []
            for round in 0..<2 {
                for (index, station) in [a, b].enumerated() {
                    try SharedCentralTests.edit(station, &rng, round: 1_000 + round)
                    do {
                        _ = try await SharedCentralTests.sync(station, through: processes[(index + round) % 2])
                        Issue.record("a sync succeeded with the database away")
                    } catch let failure as SyncFailure {
                        refusals.append(failure)
                    }
                }
            }
            #expect(refusals.allSatisfy { $0 == .status(503) }, "\(refusals.map(\.message))")
            let health = try await Self.get("\(two.url)/healthz")
            #expect(health.status == 503 && health.body.contains("中心的数据库现在连不上"), "\(health)")

            // Back: each process's pool reconnects after its backoff (up to a minute after a
            // long outage), answering 503 until then; the stations retry as their daemons do.
            try await cluster.restart()
            let deadline = ContinuousClock.now + .seconds(120)
            var clean = 0
            var round = 0
            while clean < 2, ContinuousClock.now < deadline {
                round += 1
                do {
                    for (index, station) in [a, b].enumerated() { _ = try await SharedCentralTests.sync(station, through: processes[(index + round) % 2]) }
                    clean += 1
                } catch SyncFailure.status(503) {
                    try await Task.sleep(for: .seconds(1))
                }
            }
            #expect(clean == 2, "the stations could not sync within two minutes of the database's return")
            #expect(try a.replica.digest(scope: "HL3") == b.replica.digest(scope: "HL3"))
            let made = Int(try a.replica.counter(of: a.replica.replica) + b.replica.counter(of: b.replica.replica))
            #expect(try await one.database.log.counts()["HL3"] == made)
            for process in processes {
                #expect(try await process.central.reaches("HL3", try a.replica.digest(scope: "HL3")))
            }
            let healthy = try await Self.get("\(one.url)/healthz")
            #expect(healthy.status == 200 && healthy.body.contains("结构第 \(CentralSchema.latest) 版"), "\(healthy)")
        }
    }

    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
