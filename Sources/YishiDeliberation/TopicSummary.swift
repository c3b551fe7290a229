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
        let late = try overdueTopics()
        if filter.overdueOnly { query.only = Array(late) }
        let (total, page) = try replica.records(query, offset: offset, limit: limit)
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

    /// Topics with an action or escalation past its deadline and not done, as of today.
    func overdueTopics() throws -> Set<String> {
        var late = Set<String>()
        // At the central, only this community's actions and escalations are read.
        let actions = try scope.map { try replica.records(ofType: "action", scope: $0) }
        let escalations = try scope.map { try replica.records(ofType: "escalation", scope: $0) }
        for (_, fields) in try replica.shownValues(ofType: "action", fields: ["topic": .register, "deadline": .register, "status": .status],
                                                   records: actions) {
            let done = fields["status"] == "done" || fields["status"] == "accepted"
            if let topic = fields["topic"], Deadline.isOverdue(fields["deadline"].flatMap(LocalDate.init), done: done, today: today) {
                late.insert(topic)
            }
        }
        for (_, fields) in try replica.shownValues(ofType: "escalation", fields: ["topic": .register, "deadline": .register, "response": .register],
                                                   records: escalations) {
            if let topic = fields["topic"],
               Deadline.isOverdue(fields["deadline"].flatMap(LocalDate.init), done: fields["response"] != nil, today: today) {
                late.insert(topic)
            }
        }
        return late
    }
}
