import Foundation
import Testing
import YishiMerge
import YishiStore
import YishiTestSupport

@Suite struct ReplicaTests {
    let folder = TemporaryDirectory()
    let wall = WallTime(milliseconds: 1_763_800_000_000)

    let trusted = TrustedCommunity(["HL3-01", "HL3-02"])

    func station(_ name: String) throws -> Replica {
        try Replica.create(at: folder.dataDirectory(name), replica: name, community: "HL3")
    }

    @Test func twoStationsExchangeBundlesAndSeeTheConflict() throws {
        let a = try trusted.replica("HL3-01", at: folder.dataDirectory("HL3-01"))
        let b = try trusted.replica("HL3-02", at: folder.dataDirectory("HL3-02"))
        try a.edit([LocalEdit(record: "topic/1", field: "title", change: .write("北门门禁"))], author: "王芳", at: wall)
        let toB = folder.url.appendingPathComponent("a.bundle")
        try a.export(to: toB, signers: trusted.signers("HL3-01"))
        #expect(try b.importBundle(at: toB) == ReceiveReport(applied: 1, held: 0, duplicates: 0))
        try a.edit([LocalEdit(record: "topic/1", field: "title", change: .write("北门门禁改造"))], author: "王芳", at: wall)
        try b.edit([LocalEdit(record: "topic/1", field: "title", change: .write("更换北门门禁"))], author: "李强", at: wall)
        try a.export(to: toB, lacking: try b.clock(), signers: trusted.signers("HL3-01"))
        let toA = folder.url.appendingPathComponent("b.bundle")
        try b.export(to: toA, lacking: try a.clock(), signers: trusted.signers("HL3-02"))
        _ = try b.importBundle(at: toB)
        _ = try a.importBundle(at: toA)
        #expect(try a.importBundle(at: toA).duplicates == 1)
        #expect(try a.digest() == b.digest())
        let conflict = try #require(try a.conflicts().first)
        #expect(conflict.sides.map(\.author) == ["王芳", "李强"])
        #expect(conflict.sides.map(\.replica.rawValue) == ["HL3-01", "HL3-02"])

        try a.edit([LocalEdit(record: "topic/1", field: "title", change: .write("北门门禁改造"))], author: "王芳", at: wall)
        #expect(try a.conflicts().isEmpty)
    }

    /// A replica that edits records of two communities (the central's view, which holds
    /// every community) has a counter in each scope's clock; its next op continues from the
    /// larger, in this process and after reopening.
    @Test func aReplicaWritingInTwoScopesContinuesFromItsHighestCounter() throws {
        let a = try Replica.create(at: folder.dataDirectory("HL3-01"), replica: "HL3-01", community: "central")
        try a.edit([LocalEdit(record: "topic/other", field: "title", change: .write("跨社区议题"), scope: "HL4")], author: "王芳", at: wall)
        for index in 1...3 {
            try a.edit([LocalEdit(record: "topic/\(index)", field: "title", change: .write("议题\(index)"), scope: "HL3")], author: "王芳", at: wall)
        }
        let origin = ReplicaID(rawValue: "HL3-01")!
        #expect(try a.counter(of: origin) == 4)
        let next = try a.edit([LocalEdit(record: "topic/other", field: "title", change: .write("跨社区议题（改）"))], author: "王芳", at: wall)
        #expect(next.map(\.dot.counter) == [5])
        #expect(next.first?.scope == "HL4")
        try a.close()
        let reopened = try Replica.open(folder.dataDirectory("HL3-01"))
        #expect(try reopened.clock()[origin] == 5)
        let after = try reopened.edit([LocalEdit(record: "topic/1", field: "title", change: .write("议题一"), scope: "HL3")], author: "王芳", at: wall)
        #expect(after.map(\.dot.counter) == [6])
    }

    @Test func opsWithMissingDependenciesAreHeldAcrossRestarts() throws {
        let a = try station("A")
        let first = try a.edit([LocalEdit(record: "topic/1", field: "title", change: .write("一"))], author: "x", at: wall)
        let second = try a.edit([LocalEdit(record: "topic/1", field: "title", change: .write("二"))], author: "x", at: wall)
        var b: Replica? = try station("B")
        #expect(try b!.receive(second) == ReceiveReport(applied: 0, held: 1, duplicates: 0))
        b = nil
        let reopened = try Replica.open(folder.dataDirectory("B"))
        #expect(try reopened.heldCount() == 1)
        #expect(try reopened.receive(first) == ReceiveReport(applied: 2, held: 0, duplicates: 0))
        #expect(try reopened.fieldState(record: "topic/1", field: "title")?.resolution(at: "").shown?.content == "二")
        #expect(try reopened.digest() == a.digest())
    }

    @Test func aBatchWithOneBadOpChangesNothing() throws {
        let a = try station("A")
        let ops = try a.edit([
            LocalEdit(record: "topic/1", field: "title", change: .write("一")),
            LocalEdit(record: "topic/1", field: "tags", change: .add("停车")),
        ], author: "x", at: wall)
        let b = try station("B")
        try b.receive([ops[0]])
        let before = try b.digest()
        let journalBefore = try Data(contentsOf: folder.dataDirectory("B").journal)
        var forged = ops[0]
        forged.change = .register("伪造")
        #expect {
            try b.receive([ops[1], forged])
        } throws: { error in
            "\(error)".contains("内容不同")
        }
        #expect(try b.digest() == before)
        #expect(try Data(contentsOf: folder.dataDirectory("B").journal) == journalBefore)
    }

    @Test func rebuildFromTheJournalGivesTheSameDigest() throws {
        let digest = try {
            let a = try station("A")
            for index in 0..<30 {
                try a.edit([
                    LocalEdit(record: "meeting/\(index % 3)", field: "minutes", change: .text("第\(index)次修改。\n会议决定。")),
                    LocalEdit(record: "meeting/\(index % 3)", field: "participants", change: .add("代表\(index)")),
                ], author: "x", at: wall)
            }
            return try a.digest()
        }()
        let (before, after) = try Replica.rebuild(folder.dataDirectory("A"))
        #expect(before == digest)
        #expect(after == digest)
        let reopened = try Replica.open(folder.dataDirectory("A"))
        #expect(try reopened.digest() == digest)
        #expect(try reopened.verifyJournal().problems.isEmpty)
    }

    @Test func rebuildIsRefusedWhileAnotherReplicaIsOpen() throws {
        let a = try station("A")
        #expect {
            try Replica.rebuild(folder.dataDirectory("A"))
        } throws: { error in
            "\(error)".contains("另一个 yishi 进程")
        }
        _ = a
    }

    @Test func notADataDirectoryIsNamed() {
        #expect {
            try Replica.open(folder.dataDirectory("nothing-here"))
        } throws: { error in
            "\(error)".contains("不是 Yishi 数据目录")
        }
    }

    @Test func outboxHoldsOwnOpsUntilAcknowledged() throws {
        let a = try station("A")
        let b = try station("B")
        let foreign = try b.edit([LocalEdit(record: "topic/9", field: "title", change: .write("外"))], author: "y", at: wall)
        try a.receive(foreign)
        for index in 1...3 {
            try a.edit([LocalEdit(record: "topic/1", field: "title", change: .write("\(index)"))], author: "x", at: wall)
        }
        #expect(try a.outbox().count == 3)
        #expect(try a.outboxCount() == 3)
        try a.acknowledge(upTo: 2)
        let remaining = try a.outbox()
        #expect(remaining.count == 1)
        #expect(try a.outboxCount() == 1)
        #expect(try OpCodec.decode(Array(remaining[0].utf8)).dot.counter == 3)
    }
}
