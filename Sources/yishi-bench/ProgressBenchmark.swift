import Foundation
import YishiStore

/// What showing progress costs: `journal verify` and `rebuild` of the same journal, with no
/// one listening and with the live line a terminal gets (rendered and written, here to
/// /dev/null). Alternated, so a warming page cache favours neither side.
enum ProgressBenchmark {
    struct Result {
        var ops: Int
        var journalBytes: Int64
        var verify: (without: Double, with: Double)
        var rebuild: (without: Double, with: Double)
        var linesDrawn: Int
    }

    static func run(ops count: Int, rounds: Int) throws -> Result {
        let folder = Measure.temporaryDirectory("progress")
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = DataDirectory(folder.appendingPathComponent("HL3-01"))
        // In a scope of its own: a replica holds the directory's lock until it goes, and
        // rebuild takes that lock.
        try {
            let replica = try Replica.create(at: directory, replica: "HL3-01", community: "HL3")
            let ops = try RemoteApplyBenchmark.makeOps(count: count)
            for start in stride(from: 0, to: ops.count, by: 50_000) {
                try replica.receive(Array(ops[start..<min(ops.count, start + 50_000)]))
            }
            try replica.close()
        }()
        let journalBytes = (try FileManager.default.attributesOfItem(atPath: directory.journal.path)[.size] as? NSNumber)?.int64Value ?? 0

        let screen = FileHandle(forWritingAtPath: "/dev/null")!
        var drawn = 0
        func meter() -> ProgressMeter {
            ProgressMeter(mode: .terminal, kept: "", width: { 100 }) { text in
                drawn += 1
                screen.write(Data(text.utf8))
            }
        }
        var verify: [(Double, Double)] = []
        var rebuild: [(Double, Double)] = []
        for _ in 0..<rounds {
            try {
                let opened = try Replica.open(directory)
                let plain = try Measure.seconds { _ = try opened.verifyJournal() }
                let shown = try Measure.seconds { _ = try opened.verifyJournal(progress: meter().report) }
                verify.append((plain, shown))
                try opened.close()
            }()
            let plainRebuild = try Measure.seconds { _ = try Replica.rebuild(directory) }
            let shownRebuild = try Measure.seconds { _ = try Replica.rebuild(directory, progress: meter().report) }
            rebuild.append((plainRebuild, shownRebuild))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Result(ops: count, journalBytes: journalBytes,
                      verify: (median(verify.map(\.0)), median(verify.map(\.1))),
                      rebuild: (median(rebuild.map(\.0)), median(rebuild.map(\.1))), linesDrawn: drawn)
    }
}
