import Foundation
import Testing
import YishiMerge
import YishiStore
import YishiTestSupport

/// A bundle in the compact wire form and one in the previous (journal-line) form carry the
/// same ops: both import, to the same replica, and a form from the future is refused whole.
@Suite struct CompactBundleTests {
    @Test func bothFormsImportToTheSameReplica() throws {
        let folder = TemporaryDirectory()
        let source = try Replica.create(at: folder.dataDirectory("HL3-01"), replica: "HL3-01", community: "HL3")
        let wall = WallTime(milliseconds: 1_763_800_000_000)
        for index in 0..<50 {
            try source.edit([
                LocalEdit(record: "topic/HL3-01-2026-\(index % 7)", field: "title", change: .write("议题\(index)")),
                LocalEdit(record: "meeting/HL3-01-2026-H001", field: "participants", change: .add("居民\(index)")),
                LocalEdit(record: "meeting/HL3-01-2026-H001", field: "minutes", change: .text("第\(index)条纪要。\n会议决定。\n")),
            ], author: "王芳", at: wall)
        }
        let lines = try source.opLines(lacking: VersionVector())
        let ops = try lines.map { try OpCodec.decode(Array($0.utf8)) }
        let previous = OpBundle.encode(from: source.replica, community: "HL3", lines: lines)
        let compact = OpBundle.encodeCompact(from: source.replica, community: "HL3", ops: ops)
        #expect(compact.count * 2 < previous.count)
        for (name, bytes) in [("previous", previous), ("compact", compact)] {
            let bundle = try OpBundle.decode(bytes, file: name)
            #expect(bundle.ops == ops)
            let target = try Replica.create(at: folder.dataDirectory("to-\(name)"), replica: "HL3-02", community: "HL3")
            try target.receive(bundle.ops)
            #expect(try target.digest() == source.digest())
        }
        var future = compact
        future.replaceSubrange(0..<future.firstIndex(of: 0x0A)!, with: Array(#"{"yishi":"bundle","version":3,"from":"HL3-01","community":"HL3","schema":1,"ops":150}"#.utf8))
        #expect {
            try OpBundle.decode(future, file: "future")
        } throws: { error in
            "\(error)".contains("版本是 3")
        }
    }
}
