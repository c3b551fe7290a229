/// Residents' ratings of one evaluation round (002): 满意 and 基本满意 count as satisfied;
/// a rate below the community's threshold sends the matter to rectification (整改) and a
/// re-inspection round (再次验收).
public struct SatisfactionAssessment: Hashable, Sendable {
    public var satisfied: Int
    public var basic: Int
    public var unsatisfied: Int
    public var percent: Int

    public init(ratings: [String], percent: Int) {
        satisfied = ratings.filter { $0 == "满意" }.count
        basic = ratings.filter { $0 == "基本满意" }.count
        unsatisfied = ratings.filter { $0 == "不满意" }.count
        self.percent = percent
    }

    public var total: Int { satisfied + basic + unsatisfied }

    /// Per mille, for display with one decimal.
    public var ratePerMille: Int? { Percent.perMille(satisfied + basic, of: total) }

    public var passed: Bool { total > 0 && (satisfied + basic) * 100 >= percent * total }

    public var rateText: String { Percent.text(satisfied + basic, of: total) }

    public var summary: String {
        "满意 \(satisfied)、基本满意 \(basic)、不满意 \(unsatisfied)，满意率 \(rateText)（须达 \(percent)%），"
            + (passed ? "通过验收" : "需要整改")
    }
}
