import Foundation
import Testing
import YishiCentral
import YishiMerge
import YishiPostgres
import YishiStore
import YishiSync
import YishiTestSupport
import YishiTrust

/// One bad op from one station, on the shared database: refused at the push when an apply
/// would refuse it; and one the log holds anyway (put there by hand, as a damaged or tampered
/// database would) is set aside by every view, which follows on past it.
@Suite(.enabled(if: TestDatabase.available, "needs the test cluster: YISHI_TEST_POSTGRES (scripts/postgres-cluster)"))
struct SharedCentralAbuseTests {
    static let at = WallTime(milliseconds: 1_763_800_000_000)

    /// A text edit naming a sentence that is not there: refused at the push, nothing of it in the log.
    @Test func aTextEditNamingNoSentenceIsRefusedAtThePush() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                let folder = TemporaryDirectory()
                let central = try SharedCentral(database: database, data: DataDirectory(folder.path("view")), street: TestDatabase.street,
                                                logger: TestDatabase.logger)
                let station = try Replica.create(at: DataDirectory(folder.path("HL3-05")), replica: "HL3-05", community: "HL3")
                _ = try station.edit([LocalEdit(record: "topic/HL3-05-2026-0001", field: "title", change: .write("加装电梯"))],
                                     author: "甲", at: Self.at)
                #expect(try await SharedCentralTests.store(try SharedCentralTests.ops(of: station), in: central) == 0)
                let nowhere = SegmentID(dot: Dot(replica: ReplicaID(rawValue: "HL3-09")!, counter: 3), index: 0)
                let bad = Op(dot: Dot(replica: station.replica, counter: 2), lamport: 5, deps: VersionVector([ReplicaID(rawValue: "HL3-09")!: 3]),
                             scope: "HL3", record: "topic/HL3-05-2026-0001", field: "description",
                             change: .text([.put(nowhere, "改写不存在的句子")]), author: "甲", wallTime: Self.at)
                await #expect {
                    try await SharedCentralTests.store([bad], in: central)
                } throws: { error in
                    String(describing: error).contains("不存在的句子")
                }
                #expect(try await database.log.counts() == ["HL3": 1])
            }
        }
    }

    /// The log holds an op no replica would apply (inserted by hand, proved by the street as
    /// a damaged database would claim): each view sets it aside, says so in /healthz, and
    /// applies what comes after it; a new process on an empty folder does the same.
    @Test func aViewSetsAsideAnOpItCannotApplyAndFollowsOn() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                let folder = TemporaryDirectory()
                let view = try SharedCentral(database: database, data: DataDirectory(folder.path("view")), street: TestDatabase.street,
                                             logger: TestDatabase.logger)
                let station = try await SharedCentralTests.station("HL3-05", "HL3", in: folder, enrollAt: database.stations)
                _ = try station.replica.edit([LocalEdit(record: "topic/HL3-05-2026-0001", field: "title", change: .write("加装电梯"))],
                                             author: "甲", at: Self.at)
                let good = try SharedCentralTests.ops(of: station.replica)
                let nowhere = SegmentID(dot: Dot(replica: ReplicaID(rawValue: "HL3-09")!, counter: 3), index: 0)
                let bad = Op(dot: Dot(replica: station.replica.replica, counter: 2), lamport: 5, deps: VersionVector(),
                             scope: "HL3", record: "topic/HL3-05-2026-0001", field: "description",
                             change: .text([.insert(after: nil, text: "开头"), .put(nowhere, "改写不存在的句子")]), author: "甲", wallTime: Self.at)
                let after = Op(dot: Dot(replica: ReplicaID(rawValue: "HL3-06")!, counter: 1), lamport: 6, deps: VersionVector(), scope: "HL3",
                               record: "topic/HL3-06-2026-0001", field: "title", change: .register("修路灯"), author: "乙", wallTime: Self.at)
                _ = try await database.stations.enroll(id: "HL3-06", community: "HL3", publicKey: SigningKey().publicKey, newBox: false, now: 1)
                try await Self.storeByHand(good + [bad], in: database)
                try await Self.storeByHand([after], in: database)

                #expect(try await view.catchUp() == 3)
                let health = try await view.health()
                #expect(health.contains("隔离了 1 条") && health.contains("HL3-05:2"), "\(health)")
                #expect(try view.replica.fields(ofRecord: "topic/HL3-06-2026-0001")["title"] != nil, "what came after it is applied")
                #expect(try await view.holdsEverything())

                let fresh = try SharedCentral(database: database, data: DataDirectory(folder.path("fresh")), street: TestDatabase.street,
                                              logger: TestDatabase.logger)
                _ = try await fresh.catchUp()
                #expect(try fresh.quarantined().map(\.dot) == ["HL3-05:2"])
                #expect(try fresh.replica.digest(scope: "HL3") == view.replica.digest(scope: "HL3"))
            }
        }
    }

    /// Ops put in the log as a process would after proving them (their heads, the street's
    /// checkpoint at the end), bypassing every check of the push.
    static func storeByHand(_ ops: [Op], in database: CentralDatabase) async throws {
        for (origin, mine) in Dictionary(grouping: ops, by: \.dot.replica) {
            var head = OriginChain.seed(origin)
            let entries = mine.sorted { $0.dot.counter < $1.dot.counter }.map { op in
                let line = OpCodec.encodedBytes(op)
                head = OriginChain.next(head, opHash: OriginChain.opHash(line))
                return ArrivalLog.Entry(origin: origin.rawValue, counter: Int64(op.dot.counter), scope: op.scope,
                                        line: String(decoding: line, as: UTF8.self), chain: head)
            }
            let checkpoint = Checkpoint(origin: origin, counter: UInt64(entries.last!.counter), head: head, signedBy: TestDatabase.street.signing)
            try await database.log.store(entries, checkpoints: [checkpoint])
        }
    }
}
