/// What a person sees at one key: the value shown, and whether concurrent values disagree.
public struct Resolution: Hashable, Sendable {
    /// The value to display, chosen without looking at wall clocks.
    public var shown: DottedValue?
    /// Every concurrent value, in display order (the shown one last).
    public var sides: [DottedValue]
    /// True when the concurrent values say different things and a person must choose.
    public var isConflict: Bool

    /// Multi-value register (also each entry of a per-author field).
    public static func register(_ values: [DottedValue]) -> Resolution {
        let sides = values.count < 2 ? values : values.sorted(by: DottedValue.displayPrecedes)
        return Resolution(shown: sides.last, sides: sides, isConflict: disagree(sides.map(\.content)))
    }

    /// True when not all contents are the same; a scan, since it runs for every op applied.
    static func disagree(_ contents: [String?]) -> Bool {
        guard let first = contents.first else { return false }
        return contents.contains { $0 != first }
    }

    /// A sentence of a text: like a register, but a deletion concurrent with a rewrite
    /// shows the rewritten words (and the conflict), so text never silently disappears.
    public static func sentence(_ values: [DottedValue]) -> Resolution {
        var resolution = register(values)
        if resolution.shown?.content == nil, let written = resolution.sides.last(where: { $0.content != nil }) {
            resolution.shown = written
        }
        return resolution
    }

    /// Workflow status: concurrent moves along compatible branches settle on the furthest;
    /// values on two different outcome branches, or two different statuses of equal rank,
    /// are a conflict. A status never moves backwards by merging.
    public static func status(_ values: [DottedValue]) -> Resolution {
        let sides = values.sorted(by: DottedValue.displayPrecedes)
        let branches = Set(sides.map(\.branch).filter { !$0.isEmpty })
        guard branches.count <= 1, let top = sides.map(\.rank).max() else {
            return Resolution(shown: sides.last, sides: sides, isConflict: sides.count > 1)
        }
        let furthest = sides.filter { $0.rank == top }
        return Resolution(shown: furthest.last, sides: sides, isConflict: disagree(furthest.map(\.content)))
    }

    /// Whether the values at a key are in conflict, as `of` judges. A single value (or none)
    /// never is, and that is nearly every key: the apply asks twice per op, and this answers
    /// without sorting the values or building the resolution.
    public static func isConflict(_ kind: FieldKind, _ values: [DottedValue]) -> Bool {
        values.count > 1 && of(kind, values).isConflict
    }

    public static func of(_ kind: FieldKind, _ values: [DottedValue]) -> Resolution {
        switch kind {
        case .register, .entry: register(values)
        case .status: status(values)
        case .text: sentence(values)
        case .set: Resolution(shown: values.max(by: DottedValue.displayPrecedes), sides: values, isConflict: false)
        }
    }
}
