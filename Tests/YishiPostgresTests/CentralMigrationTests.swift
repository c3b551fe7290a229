import Foundation
import Testing
import YishiCentral
import YishiMerge
import YishiPostgres
import YishiStore
import YishiSync
import YishiTestSupport

/// A single SQLite central that stations have synced with, moved into PostgreSQL: the
/// stations then sync on with two processes on that database as if nothing had happened.
@Suite(.enabled(if: TestDatabase.available, "needs the test cluster: YISHI_TEST_POSTGRES (scripts/postgres-cluster)"))
struct CentralMigrationTests {
    /// The SQLite central, served as `yishi central serve` serves it.
    static func serve(_ node: CentralNode) async -> (url: String, task: Task<Void, Never>) {
        let port = PortBox()
        let task = Task { _ = try? await CentralServer(node: node).run(host: "127.0.0.1", port: 0) { port.set($0) } }
        return ("http://127.0.0.1:\(await port.value())", task)
    }

    @Test func stationsSyncOnAfterTheMoveWithoutPullingAgainOrMissingAnything() async throws {
        let folder = TemporaryDirectory()
        let node = try CentralNode.create(at: DataDirectory(folder.path("sqlite-central")))
        let (url, server) = await Self.serve(node)
        var stations: [SharedCentralTests.Station] = []
        for (id, community) in [("HL3-01", "HL3"), ("HL3-02", "HL3"), ("DX1-01", "DX1")] {
            stations.append(try await SharedCentralTests.station(id, community, in: folder, enrollAt: node.registry))
        }
        // A retired key and a former box travel too.
        let replaced = try Replica.create(at: DataDirectory(folder.path("DX1-01-new")), replica: "DX1-01.2", community: "DX1", station: "DX1-01")
        let replacedKey = try StationKey.create(in: replaced.directory.url)
        var rng = SplitMix(seed: 5)
        for round in 0..<6 {
            for station in stations {
                try SharedCentralTests.edit(station, &rng, round: round)
                _ = try await Self.sync(station, url)
            }
        }
        for station in stations { _ = try await Self.sync(station, url) }
        _ = try node.registry.enroll(id: "DX1-01", community: "DX1", publicKey: replacedKey.publicKeyText, newBox: true)
        server.cancel()
        await server.value
        let digests = try ["HL3", "DX1"].map { try node.replica.digest(scope: $0) }

        try await TestDatabase.withFresh { location, password in
            let report = try await TestDatabase.withCentral(location, password) { database in
                try await CentralMigration.run(from: node, into: database)
            }
            #expect(report.ops == Int(try node.replica.arrivalLogCount()))
            #expect(report.stations == 3)

            let one = try await SharedCentralTests.Process(location, password, folder: folder.path("central-1"), street: node.street)
            let two = try await SharedCentralTests.Process(location, password, folder: folder.path("central-2"), street: node.street)
            try await SharedCentralTests.Process.running([one, two]) {
                // Nothing to push, nothing to pull again: the cursors and counts carried over.
                for (index, station) in stations.prefix(2).enumerated() {
                    let report = try await SharedCentralTests.sync(station, through: [one, two][index])
                    #expect(report.pushed == 0 && report.pulled == 0, "\(station.replica.replica): \(report)")
                }
                // The old box of DX1-01 is refused as before; the new one says hello and pulls its community.
                do {
                    _ = try await SharedCentralTests.sync(stations[2], through: one)
                    Issue.record("the replaced box's old key was accepted")
                } catch let failure as SyncFailure {
                    #expect(failure.message.contains("已停用的旧密钥"), "\(failure.message)")
                }
                let newBox = SharedCentralTests.Station(replica: replaced, key: replacedKey, community: "DX1")
                _ = try await SharedCentralTests.sync(newBox, through: two)
                #expect(try replaced.digest(scope: "DX1") == digests[1])

                for process in [one, two] {
                    #expect(try await process.central.reaches("HL3", digests[0]))
                }
                // And on: more edits through both processes.
                let active = Array(stations.prefix(2)) + [newBox]
                for round in 0..<4 {
                    for (index, station) in active.enumerated() {
                        try SharedCentralTests.edit(station, &rng, round: 100 + round)
                        _ = try await SharedCentralTests.sync(station, through: [one, two][(index + round) % 2])
                    }
                }
                for station in active { _ = try await SharedCentralTests.sync(station, through: one) }
                #expect(try active[0].replica.digest(scope: "HL3") == active[1].replica.digest(scope: "HL3"))

                // A second migration into the same database is refused, and changes nothing.
                do {
                    _ = try await CentralMigration.run(from: node, into: one.database)
                    Issue.record("migrated into a database that holds a central")
                } catch let error as DatabaseError {
                    #expect(error.description.contains("里已经有一个中心"), "\(error)")
                }
            }
        }
    }

    static func sync(_ station: SharedCentralTests.Station, _ url: String) async throws -> SyncReport {
        let session = SyncSession(replica: station.replica, client: CurlClient(), central: url, key: station.key)
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try session.run() }) }
        }
    }
}
