import YishiMerge

/// Random edits of every field kind on a few shared records, so that concurrent edits
/// collide often: the point is to hit conflicts, not to avoid them.
public enum RandomEdits {
    public static let records = ["topic/1", "meeting/1"]
    public static let sentences = [
        "会议讨论了垃圾分类设施的位置。", "物业负责在北门增设分类垃圾桶。", "居民代表监督落实情况！",
        "两周内完成。", "停车位不足的问题另行协商？", "业委会同意调整绿地。", "\n", "👨‍👩‍👧 家庭代表发言。",
    ]
    public static let statuses = [
        StatusValue(name: "raised", rank: 1), StatusValue(name: "scheduled", rank: 2),
        StatusValue(name: "consensus", rank: 3, branch: "decided"),
        StatusValue(name: "shelved", rank: 3, branch: "shelved"),
        StatusValue(name: "implementing", rank: 4, branch: "decided"),
    ]

    public static func change(for state: ReplicaState, using rng: inout SplitMix) -> (record: String, field: String, LocalChange) {
        let record = records.randomElement(using: &rng)!
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            return (record, "title", .write(["北门门禁", "南门停车", "垃圾分类", nil].randomElement(using: &rng)!))
        case 1:
            let person = ["王芳", "李强", "张伟", "物业"].randomElement(using: &rng)!
            return (record, "participants", Bool.random(using: &rng) ? .add(person) : .remove(person))
        case 2:
            let member = ["m1", "m2", "m3"].randomElement(using: &rng)!
            return (record, "ballots", .entry(key: member, value: ["同意", "不同意", "弃权", nil].randomElement(using: &rng)!))
        case 3:
            return (record, "status", .status(statuses.randomElement(using: &rng)!))
        default:
            let current = state.field(record, "minutes")?.document.sentences.map(\.text) ?? []
            return (record, "minutes", .text(mutate(current, using: &rng).joined()))
        }
    }

    public static func mutate(_ text: [String], using rng: inout SplitMix) -> [String] {
        var text = text
        let position = Int.random(in: 0...text.count, using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0 where !text.isEmpty:
            text.remove(at: min(position, text.count - 1))
        case 1 where !text.isEmpty:
            let index = min(position, text.count - 1)
            if text[index] != "\n" { text[index] = String(text[index].dropLast()) + "（已修改）。" }
        default:
            text.insert(sentences.randomElement(using: &rng)!, at: position)
        }
        return text
    }
}
