/// The count of a committee vote (000): a decision needs at least `consensusPercent` of
/// all members in office agreeing — members absent or abstaining count against, which is
/// the point of the rule. Derived from the ballots every time; the share a closed round was
/// judged by is kept with it (`Meeting.consensusPercent(onTopic:)`).
public struct ConsensusTally: Hashable, Sendable {
    public var members: Int
    public var agree: Int
    public var disagree: Int
    public var abstain: Int
    public var percent: Int

    public var notVoted: Int { members - agree - disagree - abstain }

    /// Integer arithmetic, so 80 % of 10 members is exactly 8.
    public var passed: Bool { members > 0 && agree * 100 >= percent * members }

    /// Agreement needed, as a whole number of members.
    public var needed: Int { (percent * members + 99) / 100 }

    /// `ballots` maps member id to 同意 / 不同意 / 弃权; ballots of non-members are ignored
    /// (they are refused when recorded).
    public init(ballots: [String: String], members: Set<String>, percent: Int) {
        self.members = members.count
        self.percent = percent
        let counted = ballots.filter { members.contains($0.key) }.values
        agree = counted.filter { $0 == "同意" }.count
        disagree = counted.filter { $0 == "不同意" }.count
        abstain = counted.filter { $0 == "弃权" }.count
    }

    /// `同意 8、不同意 1、弃权 0、未投 1；委员共 10 人`
    public var count: String {
        "同意 \(agree)、不同意 \(disagree)、弃权 \(abstain)、未投 \(notVoted)；委员共 \(members) 人"
    }

    /// `同意 8、…；委员共 10 人，需 8 人同意（80%），通过`
    public var summary: String {
        count + "，需 \(needed) 人同意（\(percent)%），" + (passed ? "通过" : "未通过")
    }
}
