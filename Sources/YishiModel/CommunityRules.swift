/// The thresholds a community deliberates by. Defaults are the seeds' numbers; each
/// community may set its own in `rules.toml`.
public struct CommunityRules: Hashable, Sendable {
    /// A meeting's notice is posted at least this many days before it (001 art. 10).
    public var noticeDays = 3
    /// A committee decision needs at least this share of all members agreeing (000).
    public var consensusPercent = 80
    /// Below this share of 满意 + 基本满意, a result goes to rectification (002).
    public var satisfactionPercent = 80
    /// Points a resident earns for an idea marked 金点子 or 好法子 (002 积分制).
    public var pointsPerIdea = 10
    public var committeeCategories = Vocabulary.committeeCategories
    /// Members each 方面 recommends (000: 每个方面推荐产生1人); more is kept and pointed out.
    public var membersPerCategory = 1
    /// A committee term in years (000: 原则上每3年为一个任期); longer is kept and pointed out.
    public var termYears = 3

    public var committeeMakeup: CommitteeMakeup {
        CommitteeMakeup(membersPerCategory: membersPerCategory, termYears: termYears)
    }
    /// The community's name as notices print it (哈量三社区); its id when not set.
    public var communityName: String?
    /// Topics are confirmed by the 两委联席会议 before a meeting (001 art. 9 (3)); a
    /// community that does not hold one for small matters turns it off.
    public var confirmBeforeMeeting = true
    /// A residents' assembly meets with more than this share of those entitled present,
    /// and decides by more than this share of those present (组织法 第十条: half).
    public var assemblyQuorumPercent = 50
    public var assemblyMajorityPercent = 50

    public init() {}
}
