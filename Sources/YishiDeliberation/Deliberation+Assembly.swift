import YishiMerge
import YishiModel
import YishiStore

/// What the residents' assembly was, and how it voted.
public struct AssemblyDraft: Sendable {
    public var date: LocalDate
    /// 全体成年居民, 户代表 or 居民小组代表.
    public var convenedAs: String
    public var entitled: Int
    public var attended: Int
    public var inFavour: Int
    public var against: Int
    public var abstained: Int

    public init(date: LocalDate, convenedAs: String, entitled: Int, attended: Int, inFavour: Int, against: Int, abstained: Int) {
        self.date = date
        self.convenedAs = convenedAs
        self.entitled = entitled
        self.attended = attended
        self.inFavour = inFavour
        self.against = against
        self.abstained = abstained
    }
}

extension Deliberation {
    /// Records the residents' assembly on a topic the 议事厅 sent it. Without its quorum the
    /// meeting is recorded and decides nothing (the topic waits for the next one); with it,
    /// the topic goes on to implementation or is closed as rejected.
    public func recordAssembly(_ reference: String, _ draft: AssemblyDraft, by author: String) throws -> (id: String, vote: AssemblyVote) {
        let topic = try requireTopic(reference)
        guard topic.status == "assembly" else {
            throw RuleViolation("议题 \(topic.reference) 目前“\(Workflow.topic.label(of: topic.status ?? ""))”，不是提交居民会议的议题。"
                + "议事厅会议结束本轮时选择“提交居民会议”的议题，才在这里记录居民会议的决定。")
        }
        try Self.check(draft.convenedAs, in: Vocabulary.assemblyBases, what: "参加范围", field: "convenedAs")
        let vote = AssemblyVote(entitled: draft.entitled, attended: draft.attended, inFavour: draft.inFavour, against: draft.against,
                                abstained: draft.abstained, quorumPercent: rules.assemblyQuorumPercent,
                                majorityPercent: rules.assemblyMajorityPercent)
        try vote.check()
        guard draft.date <= today else { throw RuleViolation("居民会议日期 \(draft.date) 还没有到；请在会后记录。", field: "date") }
        if let sent = try latestMeeting(of: topic)?.time?.date, draft.date < sent {
            throw RuleViolation("居民会议日期 \(draft.date) 早于提交它的议事会议（\(sent)）。", field: "date")
        }
        let id = try create(prefix("assembly", "R"), digits: 3, by: author) { id in
            var edits: [LocalEdit] = [
                .write(id, "topic", topic.id), .write(id, "date", draft.date.description), .write(id, "convenedAs", draft.convenedAs),
                .write(id, "entitled", String(draft.entitled)), .write(id, "attended", String(draft.attended)),
                .write(id, "inFavour", String(draft.inFavour)), .write(id, "against", String(draft.against)),
                .write(id, "abstained", String(draft.abstained)), .write(id, "result", vote.summary),
                .write(id, "quorumPercent", String(vote.quorumPercent)), .write(id, "majorityPercent", String(vote.majorityPercent)),
                .add(topic.id, "assemblies", id),
            ]
            switch vote.outcome {
            case .noQuorum: break
            case .passed: edits.append(LocalEdit(record: topic.id, field: "status", change: status(.topic, "assembly-passed")))
            case .rejected:
                edits.append(LocalEdit(record: topic.id, field: "status", change: status(.topic, "rejected")))
                edits.append(.write(topic.id, "closedOn", draft.date.description))
            }
            return edits
        }
        return (id, vote)
    }
}
