/// A deliberation meeting (协商会议) with its notice, people, votes and minutes.
public struct Meeting: Hashable, Sendable {
    public var id: String
    public var form: String?
    public var time: LocalDateTime?
    public var place: String?
    public var host: String?
    public var recorder: String?
    public var content: String?
    public var participants: [String]
    public var noticePostedAt: LocalDateTime?
    public var urgentReason: String?
    public var registrations: [String]
    public var attendance: [String]
    public var topics: [String]
    public var round: Int
    public var minutes: String
    public var minutesFinal: Bool
    /// `topic|member` → 同意 / 不同意 / 弃权.
    public var ballots: [String: String]
    /// A door-to-door or online consultation of households (入户征求意见), counted.
    public var consultation: HouseholdConsultation?
    /// The one outcome older stations wrote for the whole meeting (`HL3-01-2026-0001：达成共识…`).
    public var outcome: String?
    /// Topic id → how its round at this meeting ended.
    public var outcomes: [String: String]
    /// Topic id → its round of deliberation at this meeting.
    public var rounds: [String: Int]
    /// Topic id → the consensus share its round was judged by, once closed (schema 1.3).
    public var judgedPercents: [String: Int] = [:]
    /// What a newer build wrote here that this build does not know (`Schema.newerContent`).
    public var newerContent: [String] = []

    public init(id: String) {
        self.id = id
        participants = []
        registrations = []
        attendance = []
        topics = []
        round = 1
        minutes = ""
        minutesFinal = false
        ballots = [:]
        outcomes = [:]
        rounds = [:]
    }

    /// How the round ended for one topic (`达成共识（同意 8、…）`), without the topic's number
    /// it is stored after: every place that shows it shows it beside its topic. A meeting
    /// recorded before outcomes were kept per topic has one outcome naming its topic: it
    /// counts for that topic only.
    public func outcome(for topic: String) -> String? {
        let named = referenceOf(topic) + "："
        guard let text = outcomes[topic] ?? outcome.flatMap({ $0.hasPrefix(named) ? $0 : nil }) else { return nil }
        return text.hasPrefix(named) ? String(text.dropFirst(named.count)) : text
    }

    /// The topic's round at this meeting (the meeting's one round, for older records).
    public func round(for topic: String) -> Int { rounds[topic] ?? round }

    /// The consensus share the topic's round here was judged by; nil while it is open (the
    /// community's share today then applies). An older record's outcome names it
    /// (`需 8 人同意（80%）`).
    public func consensusPercent(onTopic topic: String) -> Int? {
        judgedPercents[topic] ?? JudgedShare.read(outcome(for: topic), after: "人同意（")
    }

    public var reference: String { referenceOf(id) }

    public static func ballotKey(topic: String, member: String) -> String { "\(topic)|\(member)" }

    /// The ballots cast on one topic, by member.
    public func ballots(onTopic topic: String) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in ballots {
            let parts = key.split(separator: "|", maxSplits: 1)
            if parts.count == 2, parts[0] == topic { result[String(parts[1])] = value }
        }
        return result
    }
}

/// How many households were asked and how many agreed (新东方小区: 1,800 asked, 1,760 agreed).
/// It informs the committee; the decision is still the committee's vote.
public struct HouseholdConsultation: Hashable, Sendable {
    public var consulted: Int
    public var agreed: Int

    public init(consulted: Int, agreed: Int) {
        self.consulted = consulted
        self.agreed = agreed
    }

    public var perMille: Int? { Percent.perMille(agreed, of: consulted) }
    public var summary: String { "征求意见 \(consulted) 户，同意 \(agreed) 户（\(Percent.text(agreed, of: consulted))）" }
}

/// A member of the community's deliberation committee for a term.
public struct Member: Hashable, Sendable {
    public var id: String
    public var name: String
    public var category: String?
    public var termStart: LocalDate?
    public var termEnd: LocalDate?

    public init(id: String, name: String, category: String?, termStart: LocalDate?, termEnd: LocalDate?) {
        self.id = id
        self.name = name
        self.category = category
        self.termStart = termStart
        self.termEnd = termEnd
    }

    public var reference: String { referenceOf(id) }

    public func serves(on date: LocalDate) -> Bool {
        (termStart.map { $0 <= date } ?? true) && (termEnd.map { date <= $0 } ?? true)
    }
}
