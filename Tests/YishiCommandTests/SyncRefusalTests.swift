import Foundation
import Testing
import YishiMerge
import YishiStore
import YishiSync
import YishiTestSupport

/// Requests the central must refuse, made by hand so that each is exactly the attack or
/// mistake it stands for. Every refusal says why and stores nothing.
@Suite struct SyncRefusalTests {
    struct Setup {
        let folder = TemporaryDirectory()
        let central: CentralUnderTest
        let a: URL
        let b: URL
        let server: CentralProcess

        init() throws {
            central = try CentralUnderTest(folder.path("central"))
            a = try folder.station("HL3-01", community: "HL3")
            b = try folder.station("HL3-02", community: "HL3")
            try central.enroll(a, id: "HL3-01", community: "HL3")
            try central.enroll(b, id: "HL3-02", community: "HL3")
            server = try CentralProcess(data: central.data)
        }

        /// A signed push of `lines`, as `station` with the key in `keyFrom`.
        func push(_ lines: [String], as station: String, keyFrom: URL, sequence: UInt64, body: [UInt8]? = nil) throws -> CurlResponse {
            let bundle = OpBundle.encode(from: ReplicaID(rawValue: station)!, community: "HL3", lines: lines)
            let compressed = body ?? Gzip.compress(bundle)
            let headers = RequestSignature.headers(key: try StationKey.load(from: keyFrom), station: station, sequence: sequence,
                                                   time: 0, path: WireFormat.pushPath, body: compressed)
            return try CurlClient().post(server.url + WireFormat.pushPath, headers: headers, body: compressed)
        }

        func centralState() throws -> [String] {
            [try YishiBinary.ok(["clock"], data: central.data),
             String(decoding: try Data(contentsOf: central.data.appendingPathComponent("journal.jsonl")), as: UTF8.self)]
        }
    }

    static func refusal(_ response: CurlResponse) -> WireFormat.Refusal? {
        WireFormat.decode(WireFormat.Refusal.self, response.body)
    }

    @Test func forgedReplayedAndOutOfScopeRequestsAreRefusedAndStoreNothing() throws {
        let setup = try Setup()
        defer { setup.server.stop() }
        try YishiBinary.ok(["debug", "put", "topic/HL3-01-2026-0001", "title", "北门"], data: setup.a)
        try YishiBinary.ok(["debug", "put", "topic/HL3-02-2026-0001", "title", "南门"], data: setup.b)
        let ownLine = try Replica.open(DataDirectory(setup.a)).outbox()[0]
        let othersLine = try Replica.open(DataDirectory(setup.b)).outbox()[0]
        let before = try setup.centralState()

        // Signed with HL3-01's key while claiming to be HL3-02.
        let forged = try setup.push([othersLine], as: "HL3-02", keyFrom: setup.a, sequence: 10)
        #expect(forged.status == 401 && Self.refusal(forged)?.reason == "bad_signature")

        // HL3-01 pushing an op whose dot belongs to HL3-02.
        let foreign = try setup.push([othersLine], as: "HL3-01", keyFrom: setup.a, sequence: 11)
        #expect(foreign.status == 403 && Self.refusal(foreign)?.reason == "foreign_dot")
        #expect(Self.refusal(foreign)?.error.contains("只能上传本站自己的修改") == true)

        // HL3-01's own op, but for a record of another community.
        var op = try OpCodec.decode(Array(ownLine.utf8))
        op.scope = "HL4"
        let outOfScope = try setup.push([OpCodec.encode(op)], as: "HL3-01", keyFrom: setup.a, sequence: 12)
        #expect(outOfScope.status == 403 && Self.refusal(outOfScope)?.reason == "out_of_scope")

        // Garbage, correctly signed.
        let garbled = try setup.push([], as: "HL3-01", keyFrom: setup.a, sequence: 13, body: [0x1F, 0x8B, 0x08, 0x00, 0x42])
        #expect(garbled.status == 400 && Self.refusal(garbled)?.reason == "bad_compression")
        #expect(try setup.centralState() == before)

        // A good request goes through once; the same bytes again are a replay.
        let good = try setup.push([ownLine], as: "HL3-01", keyFrom: setup.a, sequence: 20)
        #expect(good.status == 200)
        let afterGood = try setup.centralState()
        let replay = try setup.push([ownLine], as: "HL3-01", keyFrom: setup.a, sequence: 20)
        #expect(replay.status == 401 && Self.refusal(replay)?.reason == "replay")
        #expect(try setup.centralState() == afterGood)
    }

    /// A batch over the limit is refused whole, not stored in part.
    @Test func anOversizedBatchIsRefusedWhole() throws {
        let setup = try Setup()
        defer { setup.server.stop() }
        var state = ReplicaState(replica: ReplicaID(rawValue: "HL3-01")!)
        var lines: [String] = []
        for index in 0..<(WireFormat.maxOpsPerBatch + 1) {
            let op = try #require(try state.edit(record: "topic/HL3-01-2026-\(index)", field: "title", scope: "HL3",
                                                 change: .write("第\(index)件"), author: "x", wallTime: WallTime(milliseconds: 0)))
            lines.append(OpCodec.encode(op))
        }
        let before = try setup.centralState()
        let response = try setup.push(lines, as: "HL3-01", keyFrom: setup.a, sequence: 5)
        #expect(response.status == 413 && Self.refusal(response)?.reason == "too_many_ops")
        #expect(Self.refusal(response)?.error.contains("一次最多上传 2000 条") == true)
        #expect(try setup.centralState() == before)
    }

    /// A stranger hears the same answer as a forged signature (so the central tells
    /// no one which stations exist); a revoked station has proved who it is and is told so.
    @Test func unknownAndRevokedStationsAreToldWhatToDo() throws {
        let setup = try Setup()
        defer { setup.server.stop() }
        let stranger = try setup.folder.station("HL3-09", community: "HL3")
        let unknown = try sync(stranger, setup.server.url)
        #expect(unknown.status != 0 && unknown.stderr.contains("没有在中心登记") && unknown.stderr.contains("yishi central enroll"))
        try YishiBinary.ok(["central", "revoke", "--station", "HL3-02"], data: setup.central.data)
        let revoked = try sync(setup.b, setup.server.url)
        #expect(revoked.status != 0 && revoked.stderr.contains("已被停用"))
        #expect(try sync(setup.a, setup.server.url).status == 0)
    }
}
