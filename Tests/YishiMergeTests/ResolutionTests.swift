import Testing
import YishiMerge

@Suite struct ResolutionTests {
    /// Values that differ in every way a resolution looks at: content (and none, a deleted
    /// sentence), rank, branch, and order of writing.
    static let pool: [DottedValue] = [
        ("HL3-01", 1, "北门门禁", 10, ""), ("HL3-02", 1, "北门门禁", 10, ""), ("HL3-03", 2, "更换门禁", 20, "approved"),
        ("HL3-01", 3, nil, 20, "rejected"), ("HL3-02", 4, "更换门禁", 30, ""),
    ].map { replica, lamport, content, rank, branch in
        DottedValue(id: ValueID(dot: Dot(replica: ReplicaID(rawValue: replica)!, counter: lamport), index: 0),
                    lamport: lamport, author: "王芳", wallTime: WallTime(milliseconds: 1_763_800_000_000),
                    content: content, rank: rank, branch: branch)
    }

    /// Every list of up to three values from the pool, in every order.
    static var lists: [[DottedValue]] {
        var lists: [[DottedValue]] = [[]]
        var last: [[DottedValue]] = [[]]
        for _ in 1...3 {
            last = last.flatMap { list in pool.map { list + [$0] } }
            lists += last
        }
        return lists
    }

    @Test func theShortAnswerAgreesWithTheWholeResolution() {
        let lists = Self.lists
        var conflicts = 0
        for kind in FieldKind.allCases {
            for values in lists {
                let whole = Resolution.of(kind, values).isConflict
                #expect(Resolution.isConflict(kind, values) == whole, "\(kind) \(values.map(\.content))")
                if whole { conflicts += 1 }
            }
        }
        // The pool does make conflicts, so the agreement above is not all `false == false`.
        #expect(conflicts > 100)
    }
}
