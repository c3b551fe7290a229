import Foundation
import GRDB
import YishiMerge
import YishiTrust

/// What a journal check found.
public struct JournalReport: Sendable {
    public var lines = 0
    public var ops = 0
    public var held = 0
    /// Bytes of a torn last line a crash left (cut on the next write).
    public var tornBytes = 0
    /// Each problem, in words; empty when journal and replica agree and every signature holds.
    public var problems: [String] = []
    /// Checkpoints kept with the ops, each checked against the ops and the directory.
    public var checkpoints = 0
    /// Ops a checkpoint covers: proved to be what their origins wrote.
    public var verified = 0
    /// Per origin, ops no checkpoint covers yet, the first of them, and whether the origin
    /// is this replica's own (signed when they leave it).
    public var unverified: [(origin: String, count: Int, first: UInt64, own: Bool)] = []
    /// Whether a directory of keys was at hand to check signatures with.
    public var hasDirectory = false
}

extension Replica {
    /// Reads the whole journal and checks it against the replica: every line is a valid
    /// op, every op in the replica has its line at the recorded place with the same
    /// content, and nothing is in one but not the other. Then each origin's chain: every
    /// op's head follows from the one before and its line, every checkpoint names the head
    /// its ops give and is signed by a key the directory lets vouch for its origin there;
    /// ops past an origin's last checkpoint are counted as not yet verified.
    public func verifyJournal(progress: ProgressReport? = nil) throws -> JournalReport {
        var report = JournalReport()
        let bytes = try journal.read(from: 0)
        let (lines, torn) = Journal.lines(bytes, startingAt: 0, firstNumber: 1)
        report.tornBytes = torn
        report.lines = lines.count
        guard let first = lines.first, let header = Journal.parseHeader(first.bytes) else {
            report.problems.append("第 1 行不是日志开头")
            return report
        }
        if header.replica != replica {
            report.problems.append("日志属于站点 \(header.replica)，副本属于站点 \(replica)")
        }
        struct Stored { var hash: Data; var length: Int; var applied: Bool; var chain: Data? }
        var stored: [UInt64: Stored] = [:]
        try pool.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT journal_offset, hash, journal_length, applied, chain FROM op") {
                stored[UInt64(row[0] as Int64)] = Stored(hash: row[1], length: row[2], applied: row[3], chain: row[4])
            }
        }
        let recorded = try pool.read { db in try Self.metaNumber(db, "journal_offset") }
        let total = Int64(lines.count - 1)
        let checkpoints = try keptCheckpoints()
        var wanted: [ReplicaID: Set<UInt64>] = [:]
        for checkpoint in checkpoints { wanted[checkpoint.origin, default: []].insert(checkpoint.counter) }
        // Each origin's chain, followed through the journal's lines: an origin's ops mostly
        // come in counter order; one that does not is checked against its stored head alone.
        var running: [ReplicaID: (counter: UInt64, head: [UInt8])] = [:]
        var heads: [ReplicaID: [UInt64: [UInt8]]] = [:]
        var counters: [ReplicaID: [UInt64]] = [:]
        for (index, line) in lines.dropFirst().enumerated() {
            if index % 4096 == 0 { try progress?(WorkProgress("核对日志", done: Int64(index), total: total)) }
            if ChainLine.isChainLine(line.bytes) {
                if ChainLine(line.bytes) == nil { report.problems.append("第 \(line.number) 行：签名记录的格式不对") }
                continue
            }
            let op: Op
            do {
                op = try OpCodec.decode(line.bytes)
            } catch {
                report.problems.append("第 \(line.number) 行：\(error.description)")
                continue
            }
            report.ops += 1
            guard let entry = stored.removeValue(forKey: line.offset) else {
                if line.offset < recorded { report.problems.append("第 \(line.number) 行的修改 \(op.dot) 不在副本中") }
                continue
            }
            if !entry.applied { report.held += 1 }
            let hash = SHA256Hex.hash(OpCodec.encodedBytes(op))
            if entry.hash != Data(hash) || entry.length != line.bytes.count {
                report.problems.append("第 \(line.number) 行的修改 \(op.dot) 与副本记录的内容不同（日志可能被改动过）")
            }
            let origin = op.dot.replica
            let before = op.dot.counter == 1 ? OriginChain.seed(origin)
                : running[origin].flatMap { $0.counter == op.dot.counter - 1 ? $0.head : nil }
            if let before {
                let head = OriginChain.next(before, opHash: hash)
                if let chain = entry.chain, Data(head) != chain {
                    report.problems.append("第 \(line.number) 行的修改 \(op.dot) 在 \(origin) 的签名链上接不上（日志或副本被改动过）")
                }
                running[origin] = (op.dot.counter, head)
            } else if let chain = entry.chain {
                running[origin] = (op.dot.counter, Array(chain))
            }
            counters[origin, default: []].append(op.dot.counter)
            if wanted[origin]?.contains(op.dot.counter) == true, let head = running[origin]?.head {
                heads[origin, default: [:]][op.dot.counter] = head
            }
        }
        try progress?(WorkProgress("核对日志", done: total, total: total))
        for offset in stored.keys.sorted() {
            report.problems.append("副本中有一条修改在日志字节位置 \(offset) 处找不到")
        }
        try check(checkpoints, heads: heads, counters: counters, into: &report)
        return report
    }

    /// Every kept checkpoint against the heads the journal's lines give and the directory;
    /// then what each origin's checkpoints leave uncovered.
    private func check(_ checkpoints: [Checkpoint], heads: [ReplicaID: [UInt64: [UInt8]]], counters: [ReplicaID: [UInt64]],
                       into report: inout JournalReport) throws {
        let trust = try trust()
        report.hasDirectory = trust.directory != nil
        var covered: [ReplicaID: UInt64] = [:]
        for checkpoint in checkpoints {
            let origin = checkpoint.origin
            report.checkpoints += 1
            guard let head = heads[origin]?[checkpoint.counter] else { continue }
            guard head == checkpoint.head else {
                report.problems.append("\(origin) 第 \(checkpoint.counter) 条修改处的签名与日志里的修改不符（日志被改动过）")
                continue
            }
            if let directory = trust.directory {
                let keys = directory.publicKeys(named: checkpoint.key, for: origin, at: checkpoint.counter)
                guard keys.contains(where: checkpoint.isSigned(by:)) else {
                    report.problems.append("\(origin) 第 \(checkpoint.counter) 条修改处的签名不是站点名录里的密钥签的（可能是伪造的）")
                    continue
                }
            }
            covered[origin] = max(covered[origin] ?? 0, checkpoint.counter)
        }
        for (origin, held) in counters.sorted(by: { $0.key < $1.key }) {
            let through = covered[origin] ?? 0
            let past = held.filter { $0 > through }
            report.verified += held.count - past.count
            if let first = past.min() {
                // Its own: this replica's, or at a central one of the origins it writes each
                // community's edits under (`central.HL3`).
                let own = origin == replica || origin.rawValue.hasPrefix(replica.rawValue + ".")
                report.unverified.append((origin.rawValue, past.count, first, own))
            }
        }
    }
}
