import YishiMerge
import YishiModel
import YishiStore

/// A topic as a list shows it: one row, read in bulk.
public struct TopicSummary: Sendable, Hashable {
    public var id: String
    public var title: String
    public var status: String?
    public var channel: String?
    public var category: String?
    public var handling: String?
    public var raisedOn: LocalDate?
    public var conflicts: Int
    /// An action or escalation of this topic is past its deadline and not done.
    public var overdue: Bool

    public var reference: String { referenceOf(id) }
    public var statusLabel: String { status.map { Workflow.topic.label(of: $0) } ?? "—" }
}

/// Which topics a list shows: every filter optional, all must hold.
public struct TopicFilter: Sendable, Equatable {
    public var status: String?
    public var category: String?
    public var channel: String?
    public var handling: String?
    public var from: LocalDate?
    public var to: LocalDate?
    public var overdueOnly = false
    /// Words searched in the topics' text (Chinese found inside sentences).
    public var words: String?

    public init() {}
}

/// One page of a filtered topic list, and how many topics matched in all.
public struct TopicList: Sendable {
    public var total: Int
    public var topics: [TopicSummary]
}

extension Deliberation {
    /// Topics matching `filter`, newest first, every one of them (for short lists).
    public func topicSummaries(_ filter: TopicFilter = TopicFilter()) throws -> [TopicSummary] {
        try topicList(filter, offset: 0, limit: .max).topics
    }

    /// One page of the topics matching `filter`, newest first. Only what filtering and
    /// ordering need is read for every topic; titles and the rest only for the page shown,
    /// so a list stays quick on a replica of ten thousand topics.
    public func topicList(_ filter: TopicFilter, offset: Int, limit: Int) throws -> TopicList {
        var query = RecordQuery(type: "topic", orderBy: "raisedOn")
        if let status = filter.status { query.equals.append(("status", Workflow.topic.status(status)?.name ?? status)) }
        if let category = filter.category { query.equals.append(("category", category)) }
        if let channel = filter.channel { query.equals.append(("channel", channel)) }
        if let handling = filter.handling { query.equals.append(("handling", handling)) }
        query.from = filter.from?.description
        query.to = filter.to?.description
        query.words = filter.words
        query.scope = scope
        // Overdue work is found through each topic's own list of actions and escalations:
        // for the "overdue only" filter every topic's, otherwise only the page's, so a
        // search across a district does not read the district's actions.
        var late: Set<String> = []
        if filter.overdueOnly {
            late = try overdueTopics()
            query.only = Array(late)
        }
        let (total, page) = try replica.records(query, offset: offset, limit: limit)
        if !filter.overdueOnly { late = try overdueTopics(among: page) }
        let shown = try replica.shownValues(
            ofType: "topic", fields: ["title": .register, "status": .status, "channel": .register, "category": .register,
                                      "handling": .register, "raisedOn": .register],
            records: page)
        let conflicts = try replica.conflictCounts(ofType: "topic")
        return TopicList(total: total, topics: page.map { id in
            let fields = shown[id] ?? [:]
            return TopicSummary(
                id: id, title: fields["title"] ?? "", status: fields["status"], channel: fields["channel"],
                category: fields["category"], handling: fields["handling"], raisedOn: fields["raisedOn"].flatMap(LocalDate.init),
                conflicts: conflicts[id] ?? 0, overdue: late.contains(id))
        })
    }

    /// Which of `topics` (every topic of this loop when nil) have an action or escalation
    /// past its deadline and not done, as of today.
    func overdueTopics(among topics: [String]? = nil) throws -> Set<String> {
        let ids = try topics ?? replica.records(ofType: "topic", scope: scope)
        var topicOf: [String: String] = [:]
        for (topic, fields) in try replica.fields(ofRecords: ids, only: ["actions", "escalations"]) {
            for linked in (fields["actions"]?.elements ?? []) + (fields["escalations"]?.elements ?? []) { topicOf[linked] = topic }
        }
        let linked = Array(topicOf.keys)
        var late = Set<String>()
        for (action, fields) in try replica.shownValues(ofType: "action", fields: ["deadline": .register, "status": .status],
                                                        records: linked.filter { $0.hasPrefix("action/") }) {
            if let topic = topicOf[action], Deadline.isOverdue(fields["deadline"].flatMap(LocalDate.init),
                                                               done: ActionItem.isDone(status: fields["status"]), today: today) {
                late.insert(topic)
            }
        }
        for (escalation, fields) in try replica.shownValues(ofType: "escalation", fields: ["deadline": .register, "response": .register],
                                                            records: linked.filter { $0.hasPrefix("escalation/") }) {
            if let topic = topicOf[escalation],
               Deadline.isOverdue(fields["deadline"].flatMap(LocalDate.init), done: fields["response"] != nil, today: today) {
                late.insert(topic)
            }
        }
        return late
    }
}
