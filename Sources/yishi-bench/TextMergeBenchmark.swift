import Foundation
import YishiMerge
import YishiStore

/// Two stations start from the same 20 KB of minutes, each makes 300 edits apart, then
/// each takes in the other's: the time to merge, in memory and into the SQLite replica.
enum TextMergeBenchmark {
    static let phrases = [
        "物业公司负责在北门增设四组分类垃圾桶", "居民代表每周检查一次清运情况", "业委会同意从公共收益中列支费用",
        "网格员负责收集居民意见并登记", "停车位改造方案需征求全体业主意见", "绿化带调整须经园林部门同意",
        "社区党委负责监督落实进度", "施工期间做好安全防护和噪声控制",
    ]

    static func baseText(bytes: Int, using rng: inout SystemRandomNumberGenerator) -> String {
        var text = ""
        var index = 0
        while text.utf8.count < bytes {
            text += "\(index + 1)．\(phrases.randomElement(using: &rng)!)，\(phrases.randomElement(using: &rng)!)。"
            if index % 4 == 3 { text += "\n" }
            index += 1
        }
        return text
    }

    static func edit(_ text: String, using rng: inout SystemRandomNumberGenerator) -> String {
        var sentences = Sentences.split(text)
        let position = Int.random(in: 0..<sentences.count, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: sentences[position] = "（修订）" + sentences[position]
        case 1: sentences.insert("补充：\(phrases.randomElement(using: &rng)!)。", at: position)
        default: if sentences.count > 10 { sentences.remove(at: position) }
        }
        return sentences.joined()
    }

    struct Result {
        var baseBytes: Int
        var inMemorySeconds: Double
        var replicaSeconds: Double
        var conflicts: Int
        var converged: Bool
    }

    static func run(edits: Int) throws -> Result {
        var rng = SystemRandomNumberGenerator()
        let base = baseText(bytes: 20_000, using: &rng)
        let wall = WallTime(milliseconds: 1_763_800_000_000)
        var a = ReplicaState(replica: ReplicaID(rawValue: "A")!)
        var b = ReplicaState(replica: ReplicaID(rawValue: "B")!)
        let first = try a.edit(record: "meeting/1", field: "minutes", scope: "HL3", change: .text(base), author: "王芳", wallTime: wall)!
        try b.receive(first)
        var opsA: [Op] = [], opsB: [Op] = []
        for _ in 0..<edits {
            let textA = a.field("meeting/1", "minutes")!.document.text
            if let op = try a.edit(record: "meeting/1", field: "minutes", scope: "HL3", change: .text(edit(textA, using: &rng)), author: "王芳", wallTime: wall) { opsA.append(op) }
            let textB = b.field("meeting/1", "minutes")!.document.text
            if let op = try b.edit(record: "meeting/1", field: "minutes", scope: "HL3", change: .text(edit(textB, using: &rng)), author: "李强", wallTime: wall) { opsB.append(op) }
        }

        var mergedA = "", mergedB = ""
        let inMemory = try Measure.seconds {
            for op in opsB { try a.receive(op) }
            for op in opsA { try b.receive(op) }
            mergedA = a.field("meeting/1", "minutes")!.document.text
            mergedB = b.field("meeting/1", "minutes")!.document.text
        }

        let folder = Measure.temporaryDirectory("text")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent("A")), replica: "X", community: "HL3")
        try replica.receive([first] + opsA)
        var stored = ""
        let inReplica = try Measure.seconds {
            try replica.receive(opsB)
            stored = try replica.fieldState(record: "meeting/1", field: "minutes")!.document.text
        }
        return Result(
            baseBytes: base.utf8.count, inMemorySeconds: inMemory, replicaSeconds: inReplica,
            conflicts: a.conflicts.count, converged: mergedA == mergedB && mergedA == stored)
    }
}
