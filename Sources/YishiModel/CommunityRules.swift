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
    /// The community's name as notices print it (哈量三社区); its id when not set.
    public var communityName: String?

    public init() {}
}
