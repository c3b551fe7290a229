import Foundation
import PropertyBased
import Testing
import YishiMerge
import YishiStore
import YishiTestSupport
import YishiTrust

/// Bundles carried by hand between replicas that trust one street: honest ones import in any
/// order, split or duplicated; a file with any byte changed, or an op its origin did not
/// write, is refused whole and changes nothing.
@Suite struct SignedBundleTests {
    let folder = TemporaryDirectory()
    let community = TrustedCommunity(["HL3-01", "HL3-02", "HL3-03"])
    let wall = WallTime(milliseconds: 1_763_800_000_000)

    func replica(_ name: String) throws -> Replica { try community.replica(name, at: folder.dataDirectory(name)) }

    /// `count` edits at `replica`, of titles, sets and a text.
    func edit(_ replica: Replica, _ count: Int, tag: String) throws {
        for index in 0..<count {
            try replica.edit([
                LocalEdit(record: "topic/HL3-01-2026-000\(index % 3)", field: "title", change: .write("\(tag) 标题 \(index)")),
                LocalEdit(record: "topic/HL3-01-2026-000\(index % 3)", field: "tags", change: .add("\(tag)-\(index)")),
                LocalEdit(record: "topic/HL3-01-2026-000\(index % 3)", field: "description", change: .text("第一句。\n\(tag) 第 \(index) 句。\n")),
            ], author: "王芳", at: wall)
        }
    }

    @Test func anyByteChangedInTheFileIsRefusedAndChangesNothing() async throws {
        let source = try replica("HL3-01")
        try edit(source, 6, tag: "甲")
        let file = folder.path("honest.yishi")
        try source.export(to: file, signers: community.signers("HL3-01"))
        let honest = Array(try Data(contentsOf: file))
        let target = try replica("HL3-02")
        let before = try target.digest()
        await propertyCheck(count: 300, input: Gen.int(in: 0...(honest.count - 1)), Gen.int(in: 1...255)) { place, flip in
            var bytes = honest
            bytes[place] ^= UInt8(flip)
            let changed = folder.path("changed.yishi")
            try Data(bytes).write(to: changed)
            #expect(throws: (any Error).self, "byte \(place) changed by \(flip) was imported") { try target.importBundle(at: changed) }
            #expect(try target.digest() == before)
        }
        #expect(try target.importBundle(at: file).applied > 0)
        #expect(try target.verifyJournal().problems.isEmpty)
    }

    @Test func honestBundlesImportInAnyOrderSplitOrDuplicated() async throws {
        await propertyCheck(count: 8, input: Gen.uint64()) { seed in
            let round = TemporaryDirectory()
            let source = try community.replica("HL3-01", at: round.dataDirectory("HL3-01"))
            let relay = try community.replica("HL3-02", at: round.dataDirectory("HL3-02"))
            var files: [URL] = []
            var seen = VersionVector()
            for batch in 0..<4 {
                try edit(source, 2, tag: "第\(batch)批")
                let file = round.path("\(batch).yishi")
                try source.export(to: file, lacking: seen, signers: community.signers("HL3-01"))
                seen = try source.clock()
                files.append(file)
            }
            // The relay takes two of them and passes on all it has, with what it wrote itself.
            _ = try relay.importBundle(at: files[0])
            _ = try relay.importBundle(at: files[1])
            try relay.edit([LocalEdit(record: "topic/HL3-02-2026-0001", field: "title", change: .write("乙站议题"))], author: "李强", at: wall)
            let relayed = round.path("relayed.yishi")
            try relay.export(to: relayed, signers: community.signers("HL3-02"))
            files.append(relayed)
            var generator = SplitMix(seed: seed)
            var order = files + [files[Int(generator.next() % UInt64(files.count))]]
            for index in order.indices.reversed() { order.swapAt(index, Int(generator.next() % UInt64(index + 1))) }
            let target = try community.replica("HL3-03", at: round.dataDirectory("HL3-03"))
            for file in order { _ = try target.importBundle(at: file) }
            #expect(try target.heldCount() == 0)
            _ = try source.importBundle(at: relayed)
            #expect(try target.digest() == source.digest(), "seed \(seed)")
            let report = try target.verifyJournal()
            #expect(report.problems.isEmpty && report.unverified.isEmpty, "\(report.problems) \(report.unverified)")
        }
    }

    /// A station's own key signing an op that sets what only the street may (its opinion):
    /// refused at import though the signature holds, and at a push into the central's records.
    @Test func aStationSettingTheStreetsOpinionIsRefused() throws {
        let source = try replica("HL3-01")
        try source.edit([LocalEdit(record: "opinion/HL3-01-2026-Y0001", field: "question", change: .write("能否在北门设公交站？"))],
                        author: "王芳", at: wall)
        // The station's own commands refuse it; only a doctored build could write it.
        #expect(throws: (any Error).self) {
            try source.edit([LocalEdit(record: "opinion/HL3-01-2026-Y0001", field: "answer", change: .write("街道同意"))], author: "王芳", at: wall)
        }
        let doctored = try Replica.create(at: folder.dataDirectory("doctored"), replica: "HL3-01", community: "HL3")
        _ = try doctored.receive(try source.opLines().map { try OpCodec.decode(Array($0.utf8)) })
        let forged = Op(dot: Dot(replica: source.replica, counter: 2), lamport: 9, deps: try source.clock(), scope: "HL3",
                        record: "opinion/HL3-01-2026-Y0001", field: "answer", change: .register("街道同意，立即拨款"), author: "王芳", wallTime: wall)
        _ = try doctored.receive([forged])
        let file = folder.path("forged.yishi")
        try doctored.export(to: file, signers: community.signers("HL3-01"))
        let target = try replica("HL3-02")
        let before = try target.digest()
        #expect { try target.importBundle(at: file) } throws: { error in
            String(describing: error).contains("街道意见") && String(describing: error).contains("只能由街道")
        }
        #expect(try target.digest() == before)
        // At the central's records, as a push: the same rule.
        let central = try Replica.create(at: folder.dataDirectory("central"), replica: "central", community: "central")
        let lines = try doctored.opLines().map { try OpCodec.decode(Array($0.utf8)) }
        let proof = try doctored.proof(of: source.replica, from: 1, to: 2, signers: community.signers("HL3-01"))
        #expect(throws: StoreError.self) {
            try central.receivePush(lines, proofs: [proof], directory: community.directory, street: community.street, attesting: [])
        }
        #expect(try central.clock().counters.isEmpty)
    }
}
