import Foundation
import YishiMerge
import YishiStore

/// A person saves 20 KB of minutes with one sentence changed, as the desk's minutes form
/// does: the time to turn the new text into sentence edits and an op, in memory. The
/// baseline is the same save as one register value, the whole text replaced. Then the
/// whole save into the SQLite replica: the field read, the op applied, one journal fsync.
enum TextSaveBenchmark {
    static func run(saves: Int) throws -> (bytes: Int, textSeconds: Double, splitSeconds: Double, registerSeconds: Double, opBytes: Double, replicaSeconds: Double) {
        var rng = SystemRandomNumberGenerator()
        let base = TextMergeBenchmark.baseText(bytes: 20_000, using: &rng)
        var versions: [String] = []
        var text = base
        for _ in 0..<saves {
            text = TextMergeBenchmark.edit(text, using: &rng)
            versions.append(text)
        }
        let wall = WallTime(milliseconds: 1_763_800_000_000)
        var station = ReplicaState(replica: ReplicaID(rawValue: "A")!)
        _ = try station.edit(record: "meeting/1", field: "minutes", scope: "HL3", change: .text(base), author: "王芳", wallTime: wall)
        var opBytes = 0
        let textSeconds = try Measure.seconds {
            for version in versions {
                if let op = try station.edit(record: "meeting/1", field: "minutes", scope: "HL3", change: .text(version), author: "王芳", wallTime: wall) {
                    opBytes += OpCodec.encodedBytes(op).count
                }
            }
        }
        precondition(station.field("meeting/1", "minutes")!.document.text == versions.last!)
        let splitSeconds = Measure.seconds {
            for version in versions { precondition(!Sentences.split(version).isEmpty) }
        }
        var plain = ReplicaState(replica: ReplicaID(rawValue: "B")!)
        let registerSeconds = try Measure.seconds {
            for version in versions {
                _ = try plain.edit(record: "meeting/1", field: "minutes", scope: "HL3", change: .write(version), author: "王芳", wallTime: wall)
            }
        }
        let folder = Measure.temporaryDirectory("save")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent("station")), replica: "HL3-01", community: "HL3")
        _ = try replica.edit([LocalEdit(record: "meeting/1", field: "minutes", change: .text(base))], author: "王芳", at: wall)
        let replicaSeconds = try Measure.seconds {
            for version in versions {
                _ = try replica.edit([LocalEdit(record: "meeting/1", field: "minutes", change: .text(version))], author: "王芳", at: wall)
            }
        }
        return (base.utf8.count, textSeconds, splitSeconds, registerSeconds, Double(opBytes) / Double(saves), replicaSeconds)
    }
}
