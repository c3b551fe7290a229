/// The statuses a record moves through. Each has a rank (how far along) and a branch:
/// mutually exclusive outcomes sit on different branches, so that two stations recording
/// "consensus" and "shelved" at once show a conflict instead of one silently winning.
public struct Workflow: Hashable, Sendable {
    public struct Status: Hashable, Sendable {
        public var name: String
        public var label: String
        public var rank: Int
        public var branch: String
    }

    public var statuses: [Status]

    public func status(_ name: String) -> Status? {
        statuses.first { $0.name == name || $0.label == name }
    }

    /// The rank of a status in evaluation round `round`. Rectification sends a topic back
    /// to evaluation (再次验收); adding a step per round keeps ranks rising, so a merge never
    /// mistakes the re-inspection for a step backwards.
    public func rank(of status: Status, round: Int) -> Int {
        status.rank >= Self.evaluationRank && status.rank < Self.closedRank
            ? status.rank + Self.roundStep * max(0, round - 1) : status.rank
    }

    static let evaluationRank = 70
    static let closedRank = 1_000
    static let roundStep = 20

    /// The label of a status by name, for display.
    public func label(of name: String) -> String { status(name)?.label ?? name }

    /// The 六事 loop of a topic, from raising to closing.
    public static let topic = Workflow(statuses: [
        Status(name: "raised", label: "已登记", rank: 10, branch: ""),
        Status(name: "classified", label: "已分类", rank: 20, branch: ""),
        Status(name: "confirmed", label: "已确定议题", rank: 30, branch: ""),
        // The 两委联席会议 set it aside (001 art. 9 (3)); a later joint meeting may confirm it.
        Status(name: "set-aside", label: "暂不列入议题", rank: 30, branch: "set-aside"),
        // A dispute handled by mediation instead of deliberation (002 创新解事).
        Status(name: "mediating", label: "调解中", rank: 40, branch: ""),
        // On a branch of its own: a mediation closed 化解 at one station and 未化解 at another
        // is a conflict for a person, never 调解化解 by rank (mediated is further along).
        Status(name: "mediation-failed", label: "调解未成", rank: 45, branch: "unresolved"),
        Status(name: "deliberating", label: "协商中", rank: 40, branch: ""),
        Status(name: "consensus", label: "已达成共识", rank: 50, branch: "decided"),
        Status(name: "shelved", label: "已搁置", rank: 50, branch: "shelved"),
        Status(name: "assembly", label: "提交居民会议", rank: 50, branch: "assembly"),
        Status(name: "escalated", label: "已上报", rank: 50, branch: ""),
        // 待时机成熟时再议 (001 art. 11): a shelved topic taken up again, with its reason on
        // record. Ranked past shelved so that a reopening is never hidden behind it.
        Status(name: "reopened", label: "重新协商", rank: 55, branch: ""),
        // The residents' assembly decided what the 议事厅 sent it (组织法 第十条).
        Status(name: "assembly-passed", label: "居民会议通过", rank: 55, branch: "decided"),
        Status(name: "mediated", label: "调解化解", rank: 60, branch: "decided"),
        Status(name: "implementing", label: "落实中", rank: 60, branch: "decided"),
        Status(name: "evaluating", label: "评议中", rank: 70, branch: "decided"),
        Status(name: "rectifying", label: "整改中", rank: 80, branch: "decided"),
        Status(name: "closed", label: "已办结", rank: 1_000, branch: "decided"),
        Status(name: "rejected", label: "居民会议否决", rank: 1_000, branch: "rejected"),
        Status(name: "transferred", label: "已转交", rank: 1_000, branch: "transferred"),
        Status(name: "withdrawn", label: "已撤回", rank: 1_100, branch: "withdrawn"),
        // A submission that is not a matter (an advertisement, a duplicate, unrelated): a
        // state, not a deletion; it leaves the board and the figures.
        Status(name: "invalid", label: "无效", rank: 1_100, branch: "invalid"),
    ])

    /// An action item from assignment to acceptance.
    public static let action = Workflow(statuses: [
        Status(name: "assigned", label: "已分派", rank: 10, branch: ""),
        Status(name: "in-progress", label: "办理中", rank: 20, branch: ""),
        Status(name: "done", label: "已完成", rank: 30, branch: ""),
        Status(name: "accepted", label: "已验收", rank: 40, branch: ""),
    ])
}
