/// A residents' assembly (居民会议) deciding what the 议事厅 sent it.
public struct Assembly: Hashable, Sendable {
    public var id: String
    public var topic: String?
    public var date: LocalDate?
    public var vote: AssemblyVote?
    public var convenedAs: String?
    public var result: String?
    public var newerContent: [String] = []

    public init(id: String) { self.id = id }

    public var reference: String { referenceOf(id) }
}

/// The count of a residents' assembly (城市居民委员会组织法 第十条): it may meet only with
/// more than half of those entitled present, and decides by more than half of those
/// present. Half is not more than half. The shares are the community's (`rules.toml`),
/// the law's by default.
public struct AssemblyVote: Hashable, Sendable {
    public var entitled: Int
    public var attended: Int
    public var inFavour: Int
    public var against: Int
    public var abstained: Int
    /// Attendance must be more than this share of those entitled.
    public var quorumPercent: Int
    /// Votes in favour must be more than this share of those present.
    public var majorityPercent: Int

    public init(entitled: Int, attended: Int, inFavour: Int, against: Int, abstained: Int,
                quorumPercent: Int = 50, majorityPercent: Int = 50) {
        self.entitled = entitled
        self.attended = attended
        self.inFavour = inFavour
        self.against = against
        self.abstained = abstained
        self.quorumPercent = quorumPercent
        self.majorityPercent = majorityPercent
    }

    public enum Outcome: String, Sendable {
        case noQuorum = "未达法定人数"
        case passed = "通过"
        case rejected = "未通过"
    }

    /// Counts that cannot be: more present than entitled, more votes than present.
    public func check() throws(RuleViolation) {
        guard entitled > 0 else { throw RuleViolation("应到人数应大于 0。", field: "entitled") }
        guard (0...entitled).contains(attended) else {
            throw RuleViolation("实到人数应在 0 到应到人数 \(entitled) 之间，现在是 \(attended)。", field: "attended")
        }
        guard inFavour >= 0, against >= 0, abstained >= 0 else { throw RuleViolation("票数不能是负数。", field: "inFavour") }
        guard inFavour + against + abstained <= attended else {
            throw RuleViolation("赞成、反对、弃权共 \(inFavour + against + abstained) 票，多于实到 \(attended) 人。", field: "inFavour")
        }
    }

    /// Integer arithmetic: 900 of 1,800 is exactly half, which is not enough.
    public var hasQuorum: Bool { attended * 100 > entitled * quorumPercent }
    public var passed: Bool { hasQuorum && inFavour * 100 > attended * majorityPercent }
    public var outcome: Outcome { !hasQuorum ? .noQuorum : passed ? .passed : .rejected }

    /// `应到 1800、实到 950（52.8%，须超过 50%）；赞成 800、反对 100、弃权 50（赞成占实到 84.2%，须超过 50%）：通过`
    public var summary: String {
        var text = "应到 \(entitled)、实到 \(attended)（\(Percent.text(attended, of: entitled))，须超过 \(quorumPercent)%）"
        if hasQuorum {
            text += "；赞成 \(inFavour)、反对 \(against)、弃权 \(abstained)（赞成占实到 \(Percent.text(inFavour, of: attended))，须超过 \(majorityPercent)%）"
        }
        return text + "：" + outcome.rawValue
    }
}
