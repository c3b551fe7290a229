import Foundation
import Logging
import Testing
import YishiCentral
import YishiMerge
import YishiPostgres
import YishiStore
import YishiSync
import YishiTestSupport
import YishiTrust

/// Several central processes on one PostgreSQL database, as an office runs them behind a
/// load balancer: real HTTP servers on 127.0.0.1, real stations syncing over libcurl, each
/// request to whichever process the dice pick.
@Suite(.enabled(if: TestDatabase.available, "needs the test cluster: YISHI_TEST_POSTGRES (scripts/postgres-cluster)"))
struct SharedCentralTests {
    /// One central process: its database connection, its own folder, its server.
    final class Process: @unchecked Sendable {
        let database: CentralDatabase
        let central: SharedCentral
        let url: String
        private let tasks: [Task<Void, Never>]

        /// `street`: the key every process loads (a moved central's own, which its stations trust).
        init(_ location: DatabaseLocation, _ password: String?, folder: URL, following interval: Duration = .milliseconds(100),
             street: StreetKey = TestDatabase.street) async throws {
            database = try await CentralDatabase.open(location, password: password, connections: 8, logger: TestDatabase.logger)
            central = try SharedCentral(database: database, data: DataDirectory(folder), street: street, logger: TestDatabase.logger)
            let port = PortBox()
            let server = CentralServer(store: central, origin: ReplicaID(rawValue: CentralNode.replicaID)!, street: street)
            let central = central
            tasks = [
                Task { try? await server.run(host: "127.0.0.1", port: 0) { port.set($0) } },
                Task { await central.follow(every: interval) },
            ]
            url = "http://127.0.0.1:\(await port.value())"
        }

        /// Runs `body`, then stops every one of `processes`, whether `body` threw or not.
        static func running<T>(_ processes: [Process], _ body: () async throws -> T) async throws -> T {
            do {
                let result = try await body()
                for process in processes { await process.stop() }
                return result
            } catch {
                for process in processes { await process.stop() }
                throw error
            }
        }

        func stop() async {
            for task in tasks { task.cancel() }
            for task in tasks { await task.value }
            await database.close()
        }
    }

    /// Stores `ops` as the central takes a push, the street attesting every origin: these
    /// tests are about what the log keeps, not who signed it.
    static func store(_ ops: [Op], in central: SharedCentral) async throws -> Int {
        let origins = Set(ops.map(\.dot.replica))
        // Enrolled, so that the views following the log know them.
        for origin in origins where try await central.database.stations.station(origin.rawValue) == nil {
            _ = try await central.database.stations.enroll(id: origin.rawValue, community: "HL3", publicKey: SigningKey().publicKey,
                                                           newBox: false, now: 1)
        }
        let directory = KeyDirectory(community: "HL3", serial: 1, street: TestDatabase.street.chain,
                                     origins: origins.map { KeyDirectory.Origin(origin: $0, keys: [], legacy: .unsigned) })
        return try await central.store(ops, proofs: [], directory: directory, street: TestDatabase.street.signing, attesting: origins)
    }

    struct Station {
        let replica: Replica
        let key: StationKey
        let community: String
    }

    static func station(_ id: String, _ community: String, in folder: TemporaryDirectory, enrollAt directory: any StationDirectory) async throws
        -> Station
    {
        let replica = try Replica.create(at: DataDirectory(folder.path(id)), replica: id, community: community)
        let key = try StationKey.create(in: replica.directory.url)
        _ = try await directory.enroll(id: id, community: community, publicKey: key.publicKeyText, newBox: false, now: 1)
        return Station(replica: replica, key: key, community: community)
    }

    /// A few edits to records the community's stations share, so that they conflict.
    static func edit(_ station: Station, _ rng: inout SplitMix, round: Int) throws {
        let author = station.replica.replica.rawValue
        var edits: [LocalEdit] = []
        for index in 0..<Int(rng.next() % 6 + 1) {
            let topic = "topic/\(station.community)-01-2026-\(rng.next() % 4)"
            switch rng.next() % 3 {
            case 0: edits.append(LocalEdit(record: topic, field: "title", change: .write("\(author) 第\(round)轮 议题\(index)")))
            case 1: edits.append(LocalEdit(record: topic, field: "participants", change: .add("居民\(rng.next() % 20)")))
            default: edits.append(LocalEdit(record: "meeting/\(station.community)-01-2026-H001", field: "minutes",
                                            change: .text("第\(round)轮纪要，\(author)记。\n会议决定第\(rng.next() % 5)项。\n")))
            }
        }
        _ = try station.replica.edit(edits, author: author, at: WallTime(milliseconds: 1_763_800_000_000 + Int64(round) * 60_000))
    }

    static func sync(_ station: Station, through process: Process) async throws -> SyncReport {
        let session = SyncSession(replica: station.replica, client: CurlClient(), central: process.url, key: station.key)
        return try await withCheckedThrowingContinuation { continuation in
            // libcurl blocks: a thread of its own, not the test's cooperative pool.
            Thread.detachNewThread { continuation.resume(with: Result { try session.run() }) }
        }
    }

    /// A new process on an empty folder catching up a district of more communities than a
    /// page asks at once, each with more ops than its share of a page: every op once,
    /// every community's digest the stations', the view's records searchable without a
    /// search having to index them first, and the desk told when the catching up is done.
    @Test func aNewProcessCatchesUpEveryCommunityPageByPage() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                let folder = TemporaryDirectory()
                var rng = SplitMix(seed: 5)
                var digests: [String: String] = [:]
                var total = 0
                for index in 0..<7 {
                    let community = "C\(index)"
                    let station = try await Self.station("\(community)-01", community, in: folder, enrollAt: database.stations)
                    for round in 0..<12 { try Self.edit(station, &rng, round: round) }
                    let (lines, counters) = try station.replica.ops(of: station.replica.replica, after: 0, limit: 10_000)
                    // As a push stores them: each op with its head, each store ending at the station's checkpoint.
                    var head = OriginChain.seed(station.replica.replica)
                    let entries = zip(lines, counters).map { line, counter in
                        head = OriginChain.next(head, opHash: OriginChain.opHash(Array(line.utf8)))
                        return ArrivalLog.Entry(origin: station.replica.replica.rawValue, counter: Int64(counter), scope: community, line: line,
                                                chain: head)
                    }
                    // In several stores, so that communities' numbers interleave in the log.
                    for part in stride(from: 0, to: entries.count, by: 7) {
                        let stored = Array(entries[part..<min(part + 7, entries.count)])
                        let last = stored.last!
                        let checkpoint = Checkpoint(origin: station.replica.replica, counter: UInt64(last.counter), head: last.chain!,
                                                    signedBy: station.key.signing)
                        try await database.log.store(stored, checkpoints: [checkpoint])
                    }
                    digests[community] = try station.replica.digest(scope: community)
                    total += entries.count
                }
                let view = try SharedCentral(database: database, data: DataDirectory(folder.path("view")), street: TestDatabase.street, logger: TestDatabase.logger)
                #expect(view.catchingUp)
                // Three communities a page, 30 ops each: every community takes several pages.
                let applied = try await view.catchUp(batch: 90, communities: 3)
                #expect(applied == total)
                #expect(!view.catchingUp)
                #expect(try await view.catchUp() == 0)
                for (community, digest) in digests {
                    #expect(try view.replica.digest(scope: community) == digest, "\(community)")
                }
                #expect(try view.replica.staleSearchRecords() == 0)
                #expect(try !view.replica.search("纪要").isEmpty)
            }
        }
    }

    /// A push is acknowledged once the log has it, and every process's view applies it on
    /// the database's notice: with the followers' own rounds ten minutes apart, only the
    /// notice (and, for the process that stored it, its own wake) brings it sooner. (The
    /// bound is generous: a full test run wakes tasks late, by many seconds at times.)
    @Test func aPushReachesEveryProcesssViewOnTheDatabasesNotice() async throws {
        try await TestDatabase.withFresh { location, password in
            let folder = TemporaryDirectory()
            let one = try await Process(location, password, folder: folder.path("central-1"), following: .seconds(600))
            let two = try await Process(location, password, folder: folder.path("central-2"), following: .seconds(600))
            try await SharedCentralTests.Process.running([one, two]) {
                let station = try await Self.station("HL3-01", "HL3", in: folder, enrollAt: one.database.stations)
                var rng = SplitMix(seed: 8)
                for round in 0..<3 {
                    for _ in 0..<3 { try Self.edit(station, &rng, round: round) }
                    _ = try await Self.sync(station, through: round % 2 == 0 ? one : two)
                    let digest = try station.replica.digest(scope: "HL3")
                    for process in [one, two] {
                        #expect(try await Self.view(of: process.central, reaches: digest, within: .seconds(300)), "round \(round)")
                    }
                }
            }
        }
    }

    /// Whether a view following on its own reaches `digest` in time (no catch-up asked).
    static func view(of central: SharedCentral, reaches digest: String, within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try central.replica.digest(scope: "HL3") == digest { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// A push that writes a field as another kind than the records hold is refused, as the
    /// single central refuses it, before anything of it is in the log: stored, it would stop
    /// every process's view at that op.
    @Test func aFieldOfAnotherKindIsRefusedBeforeItIsShared() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                let folder = TemporaryDirectory()
                let central = try SharedCentral(database: database, data: DataDirectory(folder.path("view")), street: TestDatabase.street, logger: TestDatabase.logger)
                let first = try Replica.create(at: DataDirectory(folder.path("HL3-01")), replica: "HL3-01", community: "HL3")
                let second = try Replica.create(at: DataDirectory(folder.path("HL3-02")), replica: "HL3-02", community: "HL3")
                let at = WallTime(milliseconds: 1_763_800_000_000)
                _ = try first.edit([LocalEdit(record: "topic/HL3-01-2026-0001", field: "note", change: .write("加装电梯"))], author: "甲", at: at)
                #expect(try await Self.store(try Self.ops(of: first), in: central) == 0)
                try await central.catchUp()
                // The other box never saw the note (a field a newer build added), and adds to it as to a set.
                _ = try second.edit([LocalEdit(record: "topic/HL3-02-2026-0001", field: "title", change: .write("修路灯")),
                                     LocalEdit(record: "topic/HL3-01-2026-0001", field: "note", change: .add("电梯"))], author: "乙", at: at)
                let refused = try Self.ops(of: second)
                await #expect {
                    try await Self.store(refused, in: central)
                } throws: { error in
                    String(describing: error).contains("记录 topic/HL3-01-2026-0001 的字段 note 是 register 类型，收到的修改却是 set 类型")
                }
                #expect(try await database.log.counts() == ["HL3": 1], "nothing of the refused batch is in the log")
                // Within one batch too: two boxes that wrote one new field as two kinds.
                let third = try Replica.create(at: DataDirectory(folder.path("HL3-03")), replica: "HL3-03", community: "HL3")
                let fourth = try Replica.create(at: DataDirectory(folder.path("HL3-04")), replica: "HL3-04", community: "HL3")
                _ = try third.edit([LocalEdit(record: "topic/HL3-03-2026-0009", field: "note", change: .write("甲"))], author: "丙", at: at)
                _ = try fourth.edit([LocalEdit(record: "topic/HL3-03-2026-0009", field: "note", change: .add("乙"))], author: "丁", at: at)
                await #expect {
                    try await Self.store(try Self.ops(of: third) + Self.ops(of: fourth), in: central)
                } throws: { error in
                    String(describing: error).contains("字段 note 是 register 类型，收到的修改却是 set 类型")
                }
                #expect(try await database.log.counts() == ["HL3": 1])
            }
        }
    }

    /// The office's writes through a process go to the database with the next round of
    /// following, each once, however many rounds pass between them: a round that finds
    /// nothing new of its own origins sends nothing, and a write after it is sent.
    @Test func officeWritesAreShippedOnceEachRoundAfterRound() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                let folder = TemporaryDirectory()
                let central = try SharedCentral(database: database, data: DataDirectory(folder.path("view")), street: TestDatabase.street, logger: TestDatabase.logger)
                let at = WallTime(milliseconds: 1_763_800_000_000)
                let origin = central.replica.replica.rawValue + ".HL3"
                for round in 1...3 {
                    _ = try central.replica.edit([LocalEdit(record: "answer/HL3-2026-000\(round)", field: "text", change: .write("第\(round)次答复"),
                                                            scope: "HL3")], author: "街道李", at: at)
                    #expect(try await central.ship() == 1, "round \(round)")
                    #expect(try await central.ship() == 0)
                    #expect(try await database.log.held(of: origin) == UInt64(round))
                }
                _ = try central.replica.edit([LocalEdit(record: "answer/DX1-2026-0001", field: "text", change: .write("另一个社区"), scope: "DX1")],
                                             author: "街道李", at: at)
                #expect(try await central.ship() == 1)
                #expect(try await database.log.counts() == ["HL3": 3, "DX1": 1])
            }
        }
    }

    static func ops(of replica: Replica) throws -> [Op] {
        try replica.ops(of: replica.replica, after: 0, limit: 100).lines.map { try OpCodec.decode(Array($0.utf8)) }
    }

    /// The test: two processes, four stations of two communities pushing and
    /// pulling at random through both for many rounds, with their commits overlapping.
    /// Every station ends with every op of its community, none twice, and every digest
    /// agrees: the stations', and each process's own view of each community.
    @Test func fourStationsThroughTwoProcessesAgreeEverywhere() async throws {
        try await TestDatabase.withFresh { location, password in
            let folder = TemporaryDirectory()
            let one = try await Process(location, password, folder: folder.path("central-1"))
            let two = try await Process(location, password, folder: folder.path("central-2"))
            let processes = [one, two]
            try await SharedCentralTests.Process.running(processes) {
                var stations: [Station] = []
                for (id, community) in [("HL3-01", "HL3"), ("HL3-02", "HL3"), ("DX1-01", "DX1"), ("DX1-02", "DX1")] {
                    stations.append(try await Self.station(id, community, in: folder, enrollAt: one.database.stations))
                }
                var rng = SplitMix(seed: 23)
                for round in 0..<30 {
                    for station in stations { try Self.edit(station, &rng, round: round) }
                    let picks = stations.map { _ in Int(rng.next() % 2) }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for (station, pick) in zip(stations, picks) {
                            group.addTask { _ = try await Self.sync(station, through: processes[pick]) }
                        }
                        try await group.waitForAll()
                    }
                }
                // Two quiet rounds: everything pushed reaches everyone.
                for round in 0..<2 {
                    for (index, station) in stations.enumerated() { _ = try await Self.sync(station, through: processes[(index + round) % 2]) }
                }
                for community in ["HL3", "DX1"] {
                    let members = stations.filter { $0.community == community }
                    let digests = try members.map { try $0.replica.digest(scope: community) }
                    #expect(Set(digests).count == 1, "\(community): stations disagree")
                    #expect(try members[0].replica.clock() == members[1].replica.clock())
                    for process in processes {
                        #expect(try await process.central.reaches(community, digests[0]), "\(community): a process's view differs")
                    }
                }
                // Every op once in the log: as many as the stations made.
                let made = try stations.reduce(0) { $0 + Int(try $1.replica.counter(of: $1.replica.replica)) }
                #expect(try await one.database.log.counts().values.reduce(0, +) == made)
            }
        }
    }
}

/// The port a server reports once bound.
actor PortBox {
    private var port: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []

    nonisolated func set(_ port: Int) { Task { await self.store(port) } }

    private func store(_ port: Int) {
        self.port = port
        for waiter in waiters { waiter.resume(returning: port) }
        waiters = []
    }

    func value() async -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiters.append($0) }
    }
}
