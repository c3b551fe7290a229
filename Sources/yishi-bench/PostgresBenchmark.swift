import Foundation
import Logging
import YishiCentral
import YishiMerge
import YishiPostgres
import YishiStore
import YishiSync

/// Central ingest with fifty stations pushing at once, on the same generated ops, into the
/// SQLite central (the baseline) and into PostgreSQL through one central process and
/// through two (issue 23); then a second, empty station per community pulling it all,
/// the same three ways; and a new process catching up from the database. The servers run in this process on loopback, the stations'
/// pushes are real libcurl sessions; PostgreSQL is a private cluster the benchmark starts
/// (scripts/postgres-cluster) unless `YISHI_BENCH_POSTGRES` names one.
enum PostgresBenchmark {
    struct Result {
        var ops: Int
        var sqliteSeconds: Double
        var oneProcessSeconds: Double
        var twoProcessesSeconds: Double
        /// From the last push acknowledged to every process's view holding every op.
        var oneViewSeconds: Double
        var twoViewsSeconds: Double
        /// A new process on an empty folder applying everything the database holds.
        var catchUpSeconds: Double
        /// A second, empty station per community pulling all of it, all at once.
        var sqlitePullSeconds: Double
        var onePullSeconds: Double
        var twoPullSeconds: Double
    }

    static func run(stations: Int, opsPerStation: Int) async throws -> Result {
        let folder = Measure.temporaryDirectory("postgres")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, password, stop) = try cluster()
        defer { stop() }
        let ops = try (0..<stations).map { index in
            try RemoteApplyBenchmark.makeOps(count: opsPerStation, replica: "C\(index)-01", scope: "C\(index)")
        }
        var logger = Logger(label: "yishi-bench.postgres")
        logger.logLevel = .error

        /// Stations holding `ops`, enrolled at `directory`, in a folder of the round's.
        func stationsFor(_ round: String, _ directory: any StationDirectory) async throws -> [(Replica, StationKey)] {
            var made: [(Replica, StationKey)] = []
            for (index, batch) in ops.enumerated() {
                let id = "C\(index)-01"
                let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent("\(round)/\(id)")), replica: id, community: "C\(index)")
                try replica.receive(batch)
                let key = try StationKey.create(in: replica.directory.url)
                _ = try await directory.enroll(id: id, community: "C\(index)", publicKey: key.publicKeyText, newBox: false, now: 1)
                made.append((replica, key))
            }
            return made
        }

        /// A second box per community, empty, enrolled at `directory`: the pull's stations.
        func pullersFor(_ round: String, _ directory: any StationDirectory) async throws -> [(Replica, StationKey)] {
            var made: [(Replica, StationKey)] = []
            for index in ops.indices {
                let id = "C\(index)-02"
                let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent("\(round)/\(id)")), replica: id, community: "C\(index)")
                let key = try StationKey.create(in: replica.directory.url)
                _ = try await directory.enroll(id: id, community: "C\(index)", publicKey: key.publicKeyText, newBox: false, now: 1)
                made.append((replica, key))
            }
            return made
        }

        /// Every puller must end with its community's records as the pusher has them.
        func check(_ pullers: [(Replica, StationKey)], against pushers: [(Replica, StationKey)]) throws {
            for (index, (puller, pusher)) in zip(pullers, pushers).enumerated() where try puller.0.digest(scope: "C\(index)") != pusher.0.digest(scope: "C\(index)") {
                throw SyncSetupError("station C\(index)-02 did not pull all of its community")
            }
        }

        // The SQLite central.
        let node = try CentralNode.create(at: DataDirectory(folder.appendingPathComponent("sqlite/central")))
        let sqliteStations = try await stationsFor("sqlite", node.registry)
        let sqliteSeconds = try await ingest(sqliteStations, into: [CentralServer(node: node)])
        let sqlitePullers = try await pullersFor("sqlite", node.registry)
        let sqlitePullSeconds = try await ingest(sqlitePullers, into: [CentralServer(node: node)])
        try check(sqlitePullers, against: sqliteStations)

        // PostgreSQL, one process and two, each on a database of its own.
        var seconds: [Double] = []
        var viewSeconds: [Double] = []
        var pullSeconds: [Double] = []
        var catchUpSeconds = 0.0
        for processes in [1, 2] {
            var location = server
            location.database = "bench_\(processes)"
            // Left by an earlier run against the same cluster (YISHI_BENCH_POSTGRES).
            try await admin(server, password, "DROP DATABASE IF EXISTS \(location.database)", logger: logger)
            try await admin(server, password, "CREATE DATABASE \(location.database)", logger: logger)
            var databases: [CentralDatabase] = []
            var centrals: [SharedCentral] = []
            // Every process loads the street's key, as from one file copied to each box.
            let street = node.street
            for index in 0..<processes {
                let database = try await CentralDatabase.open(location, password: password, logger: logger)
                databases.append(database)
                centrals.append(try SharedCentral(database: database, data: DataDirectory(folder.appendingPathComponent("pg\(processes)/central-\(index)")),
                                                  street: street, logger: logger))
            }
            let followers = centrals.map { central in Task { await central.follow() } }
            let made = try await stationsFor("pg\(processes)", databases[0].stations)
            let servers = centrals.map { CentralServer(store: $0, origin: ReplicaID(rawValue: CentralNode.replicaID)!, street: street) }
            seconds.append(try await ingest(made, into: servers))
            viewSeconds.append(try await Measure.secondsAsync {
                for central in centrals {
                    while try await !central.holdsEverything() { try await Task.sleep(for: .milliseconds(5)) }
                }
            })
            let pullers = try await pullersFor("pg\(processes)", databases[0].stations)
            pullSeconds.append(try await ingest(pullers, into: servers))
            try check(pullers, against: made)
            let held = try await databases[0].log.counts().values.reduce(0, +)
            guard held == stations * opsPerStation else { throw SyncSetupError("PostgreSQL holds \(held) ops, not \(stations * opsPerStation)") }
            if processes == 2 {
                // A third process, started on a new box with an empty folder: ready to
                // serve once its view holds everything.
                let fresh = try SharedCentral(database: databases[0], data: DataDirectory(folder.appendingPathComponent("pg2/new-process")),
                                              street: street, logger: logger)
                var applied = 0
                catchUpSeconds = try await Measure.secondsAsync { applied = try await fresh.catchUp() }
                guard applied == held else { throw SyncSetupError("the new process applied \(applied) ops, not \(held)") }
            }
            for follower in followers { follower.cancel() }
            for database in databases { await database.close() }
        }
        return Result(ops: stations * opsPerStation, sqliteSeconds: sqliteSeconds, oneProcessSeconds: seconds[0], twoProcessesSeconds: seconds[1],
                      oneViewSeconds: viewSeconds[0], twoViewsSeconds: viewSeconds[1],
                      catchUpSeconds: catchUpSeconds, sqlitePullSeconds: sqlitePullSeconds, onePullSeconds: pullSeconds[0],
                      twoPullSeconds: pullSeconds[1])
    }

    /// Starts `servers` on loopback and times every station pushing at once, each through
    /// the servers in turn (a balancer's round robin).
    static func ingest(_ stations: [(Replica, StationKey)], into servers: [CentralServer]) async throws -> Double {
        var urls: [String] = []
        var tasks: [Task<Void, Never>] = []
        for server in servers {
            let port = PortBox()
            tasks.append(Task { _ = try? await server.run(host: "127.0.0.1", port: 0) { port.set($0) } })
            urls.append("http://127.0.0.1:\(await port.value())")
        }
        defer { for task in tasks { task.cancel() } }
        let client = CurlClient()
        let sessions = stations.enumerated().map { index, station in
            SyncSession(replica: station.0, client: client, central: urls[index % urls.count], key: station.1)
        }
        return try await SyncBenchmark.pushAtOnce(sessions)
    }

    /// The cluster named by YISHI_BENCH_POSTGRES (and YISHI_BENCH_POSTGRES_PASSWORD_FILE),
    /// or a private one started now and stopped by the returned closure.
    static func cluster() throws -> (DatabaseLocation, String?, () -> Void) {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["YISHI_BENCH_POSTGRES"] {
            return (try DatabaseLocation(url), try DatabasePassword.read(file: environment["YISHI_BENCH_POSTGRES_PASSWORD_FILE"]), {})
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-bench-cluster-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        guard system("bash scripts/postgres-cluster start > '\(output.path)'") == 0 else {
            throw SyncSetupError("无法启动测试用的 PostgreSQL（scripts/postgres-cluster start）：请在项目目录里运行，并安装 postgresql。")
        }
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map(String.init)
        var location = try DatabaseLocation(lines[1])
        location.tls = .disable
        return (location, try DatabasePassword.read(file: lines[2]), { _ = system("bash scripts/postgres-cluster stop '\(lines[0])'") })
    }

    static func admin(_ server: DatabaseLocation, _ password: String?, _ sql: String, logger: Logger) async throws {
        let database = try await CentralDatabase.open(server, password: password, connections: 1, logger: logger)
        defer { Task { await database.close() } }
        try await database.client.query(.init(unsafeSQL: sql), logger: logger)
    }
}
