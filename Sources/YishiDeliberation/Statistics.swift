import YishiModel

/// What the street and district offices ask of a community (002's figures): matters
/// raised and solved, meetings held, time to resolution, overdue work, satisfaction, points.
public struct Statistics: Sendable, Encodable {
    public struct Count: Sendable, Encodable {
        public var name: String
        public var count: Int
    }

    public struct OverdueItem: Sendable, Encodable {
        public var reference: String
        public var what: String
        public var deadline: String
        public var daysOverdue: Int
    }

    public struct Round: Sendable, Encodable {
        public var topic: String
        public var round: Int
        public var satisfied: Int
        public var basic: Int
        public var unsatisfied: Int
        public var rate: String
    }

    public struct Points: Sendable, Encodable {
        public var resident: String
        public var ideas: [String]
        public var points: Int
    }

    public var from: String?
    public var to: String?
    public var raised = 0
    public var solved = 0
    /// Per mille: 987 is 98.7 %; nil when nothing was raised.
    public var resolutionPerMille: Int?
    public var byChannel: [Count] = []
    public var byHandling: [Count] = []
    public var meetings = 0
    public var meetingsByForm: [Count] = []
    /// Over the topics solved (已办结) only, nil when none was: a time to 办结 for what was
    /// rejected or withdrawn would be a time to nothing.
    public var averageDaysToResolution: Double?
    /// The middle value, or the mean of the middle two of an even count (so 19 and 26 days give 22.5).
    public var medianDaysToResolution: Double?
    public var overdue: [OverdueItem] = []
    public var satisfaction: [Round] = []
    public var points: [Points] = []
    /// Disputes raised in the period, and those mediation resolved (化解率, 002).
    public var disputes = DisputeFigures(found: 0, resolved: 0)
    /// Residents' assemblies held in the period, and how many decided.
    public var assemblies = 0
    public var assembliesDecided = 0
    /// Major matters (五议一备两公开) on topics of the period, and those through both publications.
    public var majorMatters = 0
    public var majorMattersPublished = 0

    public var resolutionRate: String { Percent.text(solved, of: raised) }

    /// The median of `values` (sorted or not); nil for none.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `26 天`, `22.5 天`; `—` for none.
    public static func days(_ value: Double?) -> String {
        guard let value else { return Percent.none }
        return value == value.rounded() ? "\(Int(value)) 天" : String(format: "%.1f 天", value)
    }

    /// Whether a date falls in the period (inclusive); an undated record counts only when
    /// the period is all time.
    static func within(_ date: LocalDate?, from: LocalDate?, to: LocalDate?) -> Bool {
        guard let date else { return from == nil && to == nil }
        return (from.map { $0 <= date } ?? true) && (to.map { date <= $0 } ?? true)
    }

    /// The topics the period's figures count: raised in it, and not marked invalid.
    static func counted(_ topics: [Topic], from: LocalDate?, to: LocalDate?) -> [Topic] {
        topics.filter { within($0.raisedOn, from: from, to: to) && !$0.isInvalid }
    }

    /// The headline figures (matters raised and solved, meetings held) from topics and
    /// meetings already read with at least their status, raisedOn and time: the residents'
    /// board shows these beside lists it reads anyway, and must not read them twice.
    public static func headline(topics: [Topic], meetings: [Meeting], from: LocalDate?, to: LocalDate?) -> Statistics {
        var stats = Statistics(from: from?.description, to: to?.description)
        let counted = counted(topics, from: from, to: to)
        stats.raised = counted.count
        stats.solved = counted.filter(\.isSolved).count
        stats.resolutionPerMille = Percent.perMille(stats.solved, of: counted.count)
        stats.meetings = meetings.filter { within($0.time?.date, from: from, to: to) }.count
        return stats
    }
}

extension Deliberation {
    /// Statistics over topics raised and meetings held between `from` and `to` (inclusive);
    /// overdue items as of today.
    public func statistics(from: LocalDate?, to: LocalDate?) throws -> Statistics {
        func within(_ date: LocalDate?) -> Bool { Statistics.within(date, from: from, to: to) }
        func counts(_ values: [String]) -> [Statistics.Count] {
            Dictionary(grouping: values, by: { $0 }).map { Statistics.Count(name: $0.key, count: $0.value.count) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        }
        // Only the fields the figures use (among them one every record is made with, so each
        // is read): a topic's description, a meeting's minutes and the lists are most of what
        // the records hold, and the central computes this for every community. Topics, the
        // thousands, only as shown.
        let read = try shownViews("topic", fields: ["title", "status", "channel", "handling", "raisedOn", "closedOn", "idea",
                                                      "proposerName", "anonymous", "category", "dispute"])
            .compactMap(Self.topic)
        let meetings = try views("meeting", only: ["form", "time"]).compactMap(Self.meeting)
        var stats = Statistics.headline(topics: read, meetings: meetings, from: from, to: to)
        let topics = Statistics.counted(read, from: from, to: to)
        stats.byChannel = counts(topics.map { $0.channel ?? "未填写" })
        stats.byHandling = counts(topics.map { $0.handling ?? "未分类" })

        stats.meetingsByForm = counts(meetings.filter { within($0.time?.date) }.map { $0.form ?? "未填写" })

        let durations = topics.filter(\.isSolved).compactMap { topic -> Int? in
            guard let raised = topic.raisedOn, let closed = topic.closedOn else { return nil }
            return closed.dayNumber - raised.dayNumber
        }
        if !durations.isEmpty {
            stats.averageDaysToResolution = Double(durations.reduce(0, +)) / Double(durations.count)
            stats.medianDaysToResolution = Statistics.median(durations)
        }

        let actions = try views("action", only: ["topic", "owner", "standard", "deadline", "status"]).compactMap(Self.action)
        for action in actions where Deadline.isOverdue(action.deadline, done: action.isDone, today: today) {
            stats.overdue.append(.init(
                reference: action.reference, what: "落实事项：\(action.elements.owner ?? "")——\(action.elements.standard ?? "")",
                deadline: action.deadline!.description, daysOverdue: Deadline.daysOverdue(action.deadline!, today: today)))
        }
        for escalation in try escalations() where Deadline.isOverdue(escalation.deadline, done: escalation.isAnswered, today: today) {
            stats.overdue.append(.init(
                reference: escalation.reference, what: "上报件：\(escalation.addressee)未报到",
                deadline: escalation.deadline!.description, daysOverdue: Deadline.daysOverdue(escalation.deadline!, today: today)))
        }
        let topicIDs = Set(topics.map(\.id))
        let evaluations = try views("evaluation", only: ["topic", "round", "ratings", "result", "percent"]).compactMap(Self.evaluation)
        stats.satisfaction = evaluations.filter { topicIDs.contains($0.topic ?? "") }.map { evaluation in
            let assessment = SatisfactionAssessment(ratings: Array(evaluation.ratings.values), percent: evaluation.judgedPercent ?? rules.satisfactionPercent)
            return .init(topic: referenceOf(evaluation.topic ?? ""), round: evaluation.round,
                         satisfied: assessment.satisfied, basic: assessment.basic, unsatisfied: assessment.unsatisfied,
                         rate: assessment.rateText)
        }.sorted { ($0.topic, $0.round) < ($1.topic, $1.round) }

        let disputes = Set(topics.filter(\.isDispute).map(\.id))
        let mediations = try views("mediation", only: ["topic", "outcome"]).compactMap(Self.mediation)
        let resolved = Set(mediations.filter { $0.isResolved && disputes.contains($0.topic ?? "") }.compactMap(\.topic))
        stats.disputes = DisputeFigures(found: disputes.count, resolved: resolved.count)
        let assemblies = try views("assembly", only: ["date", "result", "entitled", "attended", "inFavour", "quorumPercent", "majorityPercent"])
            .compactMap { Self.assembly($0, $1, rules: rules) }.filter { within($0.date) }
        stats.assemblies = assemblies.count
        stats.assembliesDecided = assemblies.filter { $0.vote?.hasQuorum == true }.count
        let majors = try views("major", only: ["topic", "outcomePublishedOn"]).compactMap(Self.majorMatter)
            .filter { topicIDs.contains($0.topic ?? "") }
        stats.majorMatters = majors.count
        stats.majorMattersPublished = majors.filter { $0.outcomePublishedOn != nil }.count

        let ideas = topics.filter { $0.idea != nil && !$0.proposer.anonymous && $0.proposer.name != nil }
        stats.points = Dictionary(grouping: ideas, by: { $0.proposer.name! }).map { name, topics in
            .init(resident: name, ideas: topics.map { "\($0.idea!)：\($0.title)" }, points: topics.count * rules.pointsPerIdea)
        }.sorted { $0.points != $1.points ? $0.points > $1.points : $0.resident < $1.resident }
        return stats
    }

    /// Escalations to `level` (街道, 区) not yet answered.
    public func escalationsWaiting(at level: String) throws -> Int {
        try escalations().filter { $0.level == level && !$0.isAnswered }.count
    }
}
