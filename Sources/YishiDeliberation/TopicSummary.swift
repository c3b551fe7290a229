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

extension Deliberation {
    /// Topics matching `filter`, newest reference first: a handful of queries however many
    /// topics the replica holds.
    public func topicSummaries(_ filter: TopicFilter = TopicFilter()) throws -> [TopicSummary] {
        let values = try replica.shownValues(
            ofType: "topic", fields: ["title", "status", "channel", "category", "handling", "raisedOn"])
        let conflicts = try replica.conflictCounts(ofType: "topic")
        let late = try overdueTopics()
        var ids = Array(values.keys)
        if let words = filter.words?.trimmingCharacters(in: .whitespaces), !words.isEmpty {
            let found = Set(try replica.search(words, type: "topic", limit: 5_000))
            ids = ids.filter { found.contains($0) }
        }
        let statusName = filter.status.map { Workflow.topic.status($0)?.name ?? $0 }
        return ids.compactMap { id -> TopicSummary? in
            let fields = values[id]!
            let summary = TopicSummary(
                id: id, title: fields["title"] ?? "", status: fields["status"], channel: fields["channel"],
                category: fields["category"], handling: fields["handling"], raisedOn: fields["raisedOn"].flatMap(LocalDate.init),
                conflicts: conflicts[id] ?? 0, overdue: late.contains(id))
            if let statusName, summary.status != statusName { return nil }
            if let category = filter.category, summary.category != category { return nil }
            if let channel = filter.channel, summary.channel != channel { return nil }
            if let handling = filter.handling, summary.handling != handling { return nil }
            if let from = filter.from, !(summary.raisedOn.map { $0 >= from } ?? false) { return nil }
            if let to = filter.to, !(summary.raisedOn.map { $0 <= to } ?? false) { return nil }
            if filter.overdueOnly, !summary.overdue { return nil }
            return summary
        }.sorted { ($0.raisedOn ?? LocalDate(year: 0, month: 1, day: 1), $0.id) > ($1.raisedOn ?? LocalDate(year: 0, month: 1, day: 1), $1.id) }
    }

    /// Topics with an action or escalation past its deadline and not done, as of today.
    func overdueTopics() throws -> Set<String> {
        var late = Set<String>()
        for (_, fields) in try replica.shownValues(ofType: "action", fields: ["topic", "deadline", "status"]) {
            let done = fields["status"] == "done" || fields["status"] == "accepted"
            if let topic = fields["topic"], Deadline.isOverdue(fields["deadline"].flatMap(LocalDate.init), done: done, today: today) {
                late.insert(topic)
            }
        }
        for (_, fields) in try replica.shownValues(ofType: "escalation", fields: ["topic", "deadline", "response"]) {
            if let topic = fields["topic"],
               Deadline.isOverdue(fields["deadline"].flatMap(LocalDate.init), done: fields["response"] != nil, today: today) {
                late.insert(topic)
            }
        }
        return late
    }
}
