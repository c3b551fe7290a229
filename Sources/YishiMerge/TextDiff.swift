/// Turns "the document as the author saw it" and "the document as the author wants it"
/// into sentence edits: unchanged sentences are not touched (so a concurrent edit to them
/// survives), changed sentences are rewritten in place (so a concurrent edit to the same
/// sentence becomes a visible conflict), and the rest are inserted or deleted.
public enum TextDiff {
    /// Above this many changed sentences on each side the alignment falls back to
    /// "replace the block", keeping a pathological paste from costing quadratic time.
    static let alignmentLimit = 4_000

    public static func edits(from current: [TextDocument.Sentence], to newText: String, dot: Dot) -> [TextEdit] {
        edits(from: current.map { (id: $0.id, text: $0.text) }, to: newText, dot: dot)
    }

    /// The same, from sentences as someone saw them earlier (a page loaded in a browser):
    /// the edits name those sentences, so what changed since then is not overwritten.
    public static func edits(from current: [(id: SegmentID, text: String)], to newText: String, dot: Dot) -> [TextEdit] {
        let old = current.map(\.text)
        let new = Sentences.split(newText)

        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }

        let oldMiddle = Array(old[prefix..<(old.count - suffix)])
        let newMiddle = Array(new[prefix..<(new.count - suffix)])
        let steps = align(oldMiddle, newMiddle)

        var edits: [TextEdit] = []
        // The sentence the next insert goes after: the last one that will be visible.
        var anchor: SegmentID? = prefix > 0 ? current[prefix - 1].id : nil
        var oldIndex = prefix
        var newIndex = prefix
        for step in steps {
            switch step {
            case .keep:
                anchor = current[oldIndex].id
                oldIndex += 1
                newIndex += 1
            case .rewrite:
                edits.append(.put(current[oldIndex].id, new[newIndex]))
                anchor = current[oldIndex].id
                oldIndex += 1
                newIndex += 1
            case .delete:
                edits.append(.put(current[oldIndex].id, nil))
                oldIndex += 1
            case .insert:
                edits.append(.insert(after: anchor, text: new[newIndex]))
                anchor = SegmentID(dot: dot, index: UInt32(edits.count - 1))
                newIndex += 1
            }
        }
        return edits
    }

    enum Step { case keep, rewrite, delete, insert }

    /// Longest-common-subsequence alignment; within each run of unmatched sentences, old
    /// and new are paired as rewrites first, the surplus becoming deletes or inserts.
    static func align(_ old: [String], _ new: [String]) -> [Step] {
        if old.isEmpty { return Array(repeating: .insert, count: new.count) }
        if new.isEmpty { return Array(repeating: .delete, count: old.count) }
        guard old.count <= alignmentLimit, new.count <= alignmentLimit else {
            return hunk(deleted: old.count, inserted: new.count)
        }
        let width = new.count + 1
        var lengths = [Int32](repeating: 0, count: (old.count + 1) * width)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i * width + j] = old[i] == new[j]
                    ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var steps: [Step] = []
        var i = 0, j = 0, deleted = 0, inserted = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                steps += hunk(deleted: deleted, inserted: inserted)
                deleted = 0
                inserted = 0
                steps.append(.keep)
                i += 1
                j += 1
            } else if j < new.count, i == old.count || lengths[i * width + j + 1] >= lengths[(i + 1) * width + j] {
                inserted += 1
                j += 1
            } else {
                deleted += 1
                i += 1
            }
        }
        return steps + hunk(deleted: deleted, inserted: inserted)
    }

    static func hunk(deleted: Int, inserted: Int) -> [Step] {
        let paired = min(deleted, inserted)
        return Array(repeating: .rewrite, count: paired)
            + Array(repeating: .delete, count: deleted - paired)
            + Array(repeating: .insert, count: inserted - paired)
    }
}
