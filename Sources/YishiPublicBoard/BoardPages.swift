import Foundation
import YishiDeliberation
import YishiMerge
import YishiModel

/// The board's pages as the templates read them, built from one community's loop and
/// redacted on the way: every text that reaches a page has passed `BoardRedaction`, and
/// nothing about a person (phone, address, proposer, evaluator, registrant) is carried at
/// all. Drafts (raised, not yet taken up), withdrawn, invalid records and disputes, which
/// concern two households, have no page.
struct BoardPages {
    let loop: Deliberation
    let community: String
    let communityName: String
    let redact: BoardRedaction
    /// Every topic and meeting of the community as the board reads them, once for the page.
    let topics: [Topic]
    let meetings: [Meeting]

    init(loop: Deliberation, community: String, communityName: String) throws {
        self.loop = loop
        self.community = community
        self.communityName = communityName
        topics = try loop.topicsForBoard()
        meetings = try loop.meetingsForBoard()
        redact = BoardRedaction(topics, evaluators: try loop.evaluatorNames(), registrations: meetings.flatMap(\.registrations))
    }

    /// Whether a topic has a result page: taken up (confirmed, deliberated, escalated…),
    /// not withdrawn or invalid, and not a dispute between households.
    static func isPublic(_ topic: Topic) -> Bool {
        !["raised", "classified", "set-aside", "withdrawn", "invalid"].contains(topic.status ?? "") && !topic.isDispute
    }

    // MARK: The community's board

    struct MeetingItem: Sendable {
        var meetingRef: String
        var meetingWhen: String
        var meetingForm: String
        var meetingPlace: String
        var meetingTopics: String
    }

    struct ResultItem: Sendable {
        var topicRef: String
        var topicTitle: String
        var topicState: String
        var topicDate: String
    }

    struct Home: Sendable {
        var community: String
        var communityName: String
        var year: Int
        var raised: Int
        var solved: Int
        var rate: String
        var meetingsHeld: Int
        var upcoming: [MeetingItem]
        var hasUpcoming: Bool
        var results: [ResultItem]
        var hasResults: Bool
        var majors: [ResultItem]
        var hasMajors: Bool
    }

    func home() throws -> Home {
        let today = loop.today
        // The year's figures from the topics and meetings the page has read already.
        let stats = Statistics.headline(topics: topics, meetings: meetings, from: LocalDate(year: today.year, month: 1, day: 1), to: today)
        let now = loop.now()
        let titles = Dictionary(topics.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        let upcoming = meetings.filter { ($0.time ?? now) >= now && $0.noticePostedAt != nil }
            .sorted { ($0.time?.milliseconds ?? 0) < ($1.time?.milliseconds ?? 0) }
            .map { meeting in
                MeetingItem(meetingRef: meeting.reference, meetingWhen: meeting.time?.chinese ?? "", meetingForm: meeting.form ?? "协商会议",
                            meetingPlace: redact(meeting.place),
                            meetingTopics: meeting.topics.compactMap { titles[$0] }.map { redact($0) }.joined(separator: "；"))
            }
        let yearAgo = LocalDate(dayNumber: today.dayNumber - 365)
        let results = topics.filter { Self.isPublic($0) && ($0.raisedOn ?? today) >= yearAgo }
            .sorted { ($0.raisedOn?.description ?? "", $0.reference) > ($1.raisedOn?.description ?? "", $1.reference) }
            .prefix(50).map(resultItem)
        let majors = try loop.majorMatters().filter { $0.resolutionPublishedOn != nil }.sorted { $0.reference > $1.reference }.map { major in
            ResultItem(topicRef: major.reference, topicTitle: redact(major.topic.flatMap { titles[$0] }), topicState: major.stage,
                       topicDate: (major.outcomePublishedOn ?? major.resolutionPublishedOn)?.description ?? "")
        }
        return Home(community: community, communityName: communityName, year: today.year, raised: stats.raised, solved: stats.solved,
                    rate: stats.resolutionRate, meetingsHeld: stats.meetings, upcoming: upcoming, hasUpcoming: !upcoming.isEmpty,
                    results: Array(results), hasResults: !results.isEmpty, majors: majors, hasMajors: !majors.isEmpty)
    }

    func resultItem(_ topic: Topic) -> ResultItem {
        ResultItem(topicRef: topic.reference, topicTitle: redact(topic.title), topicState: Workflow.topic.label(of: topic.status ?? ""),
                   topicDate: topic.raisedOn?.description ?? "")
    }

    // MARK: A meeting's notice

    struct Fact: Sendable {
        var factLabel: String
        var factValue: String
    }

    struct NoticeTopic: Sendable {
        var topicRef: String
        var topicTitle: String
        var topicCategory: String
        var topicRound: String
        var topicText: String
        var linked: Bool
    }

    struct MeetingNotice: Sendable {
        var community: String
        var communityName: String
        var reference: String
        var posted: String
        var facts: [Fact]
        var urgent: String?
        var topics: [NoticeTopic]
        var participants: [String]
        var hasParticipants: Bool
        var registration: String
        var registered: Int
        var consultation: String?
        var qr: String?
    }

    func meeting(_ reference: String, qr: String?) throws -> MeetingNotice? {
        guard let meeting = try loop.meeting(reference), meeting.noticePostedAt != nil, try belongs(meeting.id) else { return nil }
        let shown = try meeting.topics.compactMap { try loop.topic($0) }
        let deadline = meeting.time.map { "会议开始（\($0.chinese)）前" } ?? "会议开始前"
        return MeetingNotice(
            community: community, communityName: communityName, reference: meeting.reference,
            posted: meeting.noticePostedAt?.chinese ?? "",
            facts: [("会议形式", meeting.form), ("会议时间", meeting.time?.chinese), ("会议地点", meeting.place.map { redact($0) }),
                    ("主持人", meeting.host.map { redact($0) }), ("主要内容", meeting.content.map { redact($0) })]
                .compactMap { label, value in value.map { Fact(factLabel: label, factValue: $0) } },
            urgent: meeting.urgentReason.map { "本次会议公示不足 \(loop.rules.noticeDays) 天，原因：\(redact($0))" },
            topics: shown.map { topic in
                NoticeTopic(topicRef: topic.reference, topicTitle: topic.isDispute ? "邻里纠纷（内容不公开）" : redact(topic.title),
                            topicCategory: topic.category ?? "—", topicRound: "第 \(meeting.round(for: topic.id)) 轮",
                            topicText: topic.isDispute ? "" : redact(topic.description), linked: Self.isPublic(topic))
            },
            participants: meeting.participants.map { redact($0) }, hasParticipants: !meeting.participants.isEmpty,
            registration: "公示期间，与议题有关的居民和单位可于\(deadline)到社区居委会或说事点报名参加协商，社区将登记并邀请参会。",
            registered: meeting.registrations.count,
            consultation: meeting.consultation.map { "会前已入户征求意见：\($0.summary)。" }, qr: qr)
    }

    // MARK: A topic's result

    struct Line: Sendable {
        var lineText: String
    }

    struct RoundRow: Sendable {
        var roundLabel: String
        var roundMeeting: String
        var roundOutcome: String
    }

    struct ActionRow: Sendable {
        var owner: String
        var standard: String
        var deadline: String
        var supervisor: String
        var actionState: String
        var late: Bool
        var rectification: Bool
    }

    struct RatingRow: Sendable {
        var ratingRound: String
        var counts: String
        var ratingRate: String
        var ratingResult: String
    }

    struct TopicResult: Sendable {
        var community: String
        var communityName: String
        var reference: String
        var title: String
        var state: String
        var facts: [Fact]
        var text: String
        var hasText: Bool
        var before: [String]
        var hasBefore: Bool
        var rounds: [RoundRow]
        var hasRounds: Bool
        var assemblies: [String]
        var hasAssemblies: Bool
        var actions: [ActionRow]
        var hasActions: Bool
        var escalations: [String]
        var hasEscalations: Bool
        var ratings: [RatingRow]
        var hasRatings: Bool
        var qr: String?
    }

    func topic(_ reference: String, qr: String?) throws -> TopicResult? {
        guard let topic = try loop.topic(reference), Self.isPublic(topic), try belongs(topic.id) else { return nil }
        var before: [String] = []
        if let id = topic.jointMeeting, let joint = try loop.jointMeeting(id), joint.decisions[topic.id] == JointMeeting.confirmed {
            before.append("\(joint.date?.chinese ?? "") 经社区党组织和居委会联席会议确定为议题。")
        }
        for id in topic.opinions {
            if let opinion = try loop.opinion(id), let answer = opinion.answer {
                before.append("\(opinion.answeredOn?.chinese ?? "") 街道意见：\(redact(answer))")
            }
        }
        let members: (LocalDate) throws -> Set<String> = { date in Set(try loop.committee(on: date).map(\.id)) }
        let rounds = try topic.meetings.compactMap { try loop.meeting($0) }.sorted { $0.round(for: topic.id) < $1.round(for: topic.id) }
            .map { meeting in
                let tally = ConsensusTally(ballots: meeting.ballots(onTopic: topic.id), members: try members((meeting.time ?? loop.now()).date),
                                           percent: meeting.consensusPercent(onTopic: topic.id) ?? loop.rules.consensusPercent)
                return RoundRow(roundLabel: "第 \(meeting.round(for: topic.id)) 轮",
                                roundMeeting: "\(meeting.form ?? "协商会议") \(meeting.time?.chinese ?? "")",
                                roundOutcome: meeting.outcome(for: topic.id).map { redact($0) }
                                    ?? (meeting.ballots(onTopic: topic.id).isEmpty ? "尚未表决" : tally.summary))
            }
        let assemblies = try topic.assemblies.compactMap { try loop.assembly($0) }.map { assembly in
            "\(assembly.date?.chinese ?? "") 居民会议（\(assembly.convenedAs ?? "")）：\(assembly.result ?? "")"
        }
        let actions = try topic.actions.compactMap { try loop.action($0) }.map { action in
            ActionRow(owner: redact(action.elements.owner), standard: redact(action.elements.standard), deadline: action.elements.deadline ?? "—",
                      supervisor: redact(action.elements.supervisor), actionState: Workflow.action.label(of: action.status ?? ""),
                      late: Deadline.isOverdue(action.deadline, done: action.isDone, today: loop.today), rectification: action.isRectification)
        }
        let escalations = try topic.escalations.compactMap { try loop.escalation($0) }.map { escalation in
            "上报\(escalation.addressee)（\(escalation.escalatedOn?.chinese ?? "")）："
                + (escalation.response.map { "已于 \(escalation.reportedOn?.chinese ?? "") 报到，答复：\(redact($0))" } ?? "待部门报到")
        }
        let ratings = try loop.evaluations(of: topic).map { evaluation in
            let assessment = SatisfactionAssessment(ratings: Array(evaluation.ratings.values), percent: evaluation.judgedPercent ?? loop.rules.satisfactionPercent)
            return RatingRow(ratingRound: evaluation.round == 1 ? "第 1 轮" : "第 \(evaluation.round) 轮（再次验收）",
                             counts: "满意 \(assessment.satisfied)、基本满意 \(assessment.basic)、不满意 \(assessment.unsatisfied)",
                             ratingRate: assessment.rateText,
                             ratingResult: evaluation.result == nil ? "评议中" : (assessment.passed ? "通过验收" : "整改后再次验收"))
        }
        let facts: [(String, String?)] = [("类别", topic.category), ("反映渠道", topic.channel), ("登记日期", topic.raisedOn?.chinese),
                                          ("办结日期", topic.closedOn?.chinese), ("建议评定", topic.idea)]
        return TopicResult(
            community: community, communityName: communityName, reference: topic.reference, title: redact(topic.title),
            state: topic.statusText,
            facts: facts.compactMap { label, value in value.map { Fact(factLabel: label, factValue: $0) } },
            text: redact(topic.description), hasText: !topic.description.isEmpty, before: before, hasBefore: !before.isEmpty,
            rounds: rounds, hasRounds: !rounds.isEmpty, assemblies: assemblies, hasAssemblies: !assemblies.isEmpty,
            actions: actions, hasActions: !actions.isEmpty, escalations: escalations, hasEscalations: !escalations.isEmpty,
            ratings: ratings, hasRatings: !ratings.isEmpty, qr: qr)
    }

    // MARK: 金点子

    struct Ideas: Sendable {
        var community: String
        var communityName: String
        var ideas: [ResultItem]
        var hasIdeas: Bool
        var points: Int
    }

    func ideas() -> Ideas {
        let marked = topics.filter { $0.idea != nil && !$0.isInvalid && $0.status != "withdrawn" && !$0.isDispute }
            .sorted { ($0.raisedOn?.description ?? "") > ($1.raisedOn?.description ?? "") }
            .map { ResultItem(topicRef: $0.reference, topicTitle: redact($0.title), topicState: $0.idea ?? "", topicDate: $0.raisedOn?.description ?? "") }
        return Ideas(community: community, communityName: communityName, ideas: marked, hasIdeas: !marked.isEmpty, points: loop.rules.pointsPerIdea)
    }

    // MARK: A major matter's publications

    struct StepRow: Sendable {
        var stepName: String
        var stepDate: String
        var stepPeople: String
        var stepNote: String
    }

    struct MajorPage: Sendable {
        var community: String
        var communityName: String
        var reference: String
        var title: String
        var stage: String
        var steps: [StepRow]
        var filing: String
        var resolution: String
        var outcome: String
        var hasOutcome: Bool
    }

    /// Whether a record is this board's community's: the central holds every community, and
    /// a reference typed after another community's address must not show that one's record.
    func belongs(_ record: String) throws -> Bool {
        try loop.replica.scopes(ofRecords: [record])[record] == community
    }

    /// Only once the resolution is made public (two publications: resolution, then result).
    func major(_ reference: String) throws -> MajorPage? {
        guard let major = try loop.majorMatter(reference), let published = major.resolutionPublishedOn, try belongs(major.id) else { return nil }
        let topic = major.topic.flatMap { id in topics.first { $0.id == id } }
        return MajorPage(
            community: community, communityName: communityName, reference: major.reference, title: redact(topic?.title),
            stage: major.stage,
            steps: MajorMatter.steps.compactMap { step in
                major.stepDates[step].map { StepRow(stepName: step, stepDate: $0.chinese, stepPeople: redact(major.stepPeople[step]),
                                                    stepNote: redact(major.stepNotes[step] ?? "—")) }
            },
            filing: "决议已于 \(major.filedOn?.chinese ?? "") 报街道党工委备案，\(published.chinese) 向居民公开。",
            resolution: redact(major.resolution), outcome: major.outcomePublishedOn == nil ? "" : redact(major.outcome),
            hasOutcome: major.outcomePublishedOn != nil)
    }
}
