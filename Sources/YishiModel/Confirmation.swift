/// 两委联席会议 (001 art. 9 (3)): before a topic goes to a 议事厅 meeting, the community's
/// party organisation and residents' committee confirm it, or set it aside with the reason.
public struct JointMeeting: Hashable, Sendable {
    public var id: String
    public var date: LocalDate?
    public var participants: [String]
    /// Topic id → `确定` or `暂不列入：原因`.
    public var decisions: [String: String]
    public var newerContent: [String] = []

    public init(id: String, date: LocalDate?, participants: [String], decisions: [String: String]) {
        self.id = id
        self.date = date
        self.participants = participants
        self.decisions = decisions
    }

    public var reference: String { referenceOf(id) }

    public static let confirmed = "确定"
    public static func setAside(_ reason: String) -> String { "暂不列入：\(reason)" }
}

/// The street's opinion, asked for a topic that touches government public services: the
/// office desk answers it, as it answers departments.
public struct StreetOpinion: Hashable, Sendable {
    public var id: String
    public var topic: String?
    public var question: String?
    public var askedOn: LocalDate?
    public var answeredOn: LocalDate?
    public var answer: String?
    public var newerContent: [String] = []

    public init(id: String) { self.id = id }

    public var reference: String { referenceOf(id) }
    public var isAnswered: Bool { answer != nil }
}

/// Whether a topic may go to a 议事厅 meeting: confirmed first (unless the community does
/// without a joint meeting for small matters), and, when it touches government public
/// services, with the street's opinion in hand.
public struct MeetingReadiness: Sendable {
    public var confirmBeforeMeeting: Bool

    public init(confirmBeforeMeeting: Bool) { self.confirmBeforeMeeting = confirmBeforeMeeting }

    /// Why `topic` cannot be scheduled yet, or nil. `opinions` are its street opinions.
    public func problem(_ topic: Topic, opinions: [StreetOpinion]) -> RuleViolation? {
        let rank = Workflow.topic.status(topic.status ?? "")?.rank ?? 0
        if topic.status == "set-aside" {
            return RuleViolation("议题 \(topic.reference) 经两委联席会议决定暂不列入议题，不能安排协商会议。", field: "topics", remedy: Remedy(
                commandLine: "情况变化后，可在下一次联席会议上确定它：yishi joint hold --date 日期 --participant 姓名 --confirm \(topic.reference)。",
                desk: "情况变化后，可在下一次两委联席会议上确定它（“会议”页的“记录两委联席会议”）。"))
        }
        if confirmBeforeMeeting && rank < 30 {
            return RuleViolation("议题 \(topic.reference) 还没有经两委联席会议确定为议题，不能安排协商会议（001 第九条：议题须经社区党组织和居委会联席会议确定）。",
                                 field: "topics", remedy: Remedy(
                                    commandLine: "确定后再安排：yishi joint hold --date 日期 --participant 姓名 --confirm \(topic.reference)。"
                                        + "本社区小事不开联席会议的，可在 rules.toml 里写 confirm_before_meeting = false。",
                                    desk: "请先在“会议”页点“记录两委联席会议”确定这个议题。本社区小事不开联席会议的，可在 rules.toml 里写 confirm_before_meeting = false。"))
        }
        guard topic.publicService else { return nil }
        guard let asked = opinions.first else {
            return RuleViolation("议题 \(topic.reference) 涉及政府公共服务，须先征求街道意见，才能安排协商会议。", field: "topics",
                                 remedy: Remedy(commandLine: "请先运行 yishi topic ask-street \(topic.reference) --question \"征询的内容\"。",
                                                desk: "请先在议题页面点“征求街道意见”。"))
        }
        guard opinions.contains(where: \.isAnswered) else {
            return RuleViolation("议题 \(topic.reference) 涉及政府公共服务，已于 \(asked.askedOn?.description ?? "") 征求街道意见（\(asked.reference)），"
                                 + "街道尚未答复；答复到达本站后才能安排协商会议。", field: "topics")
        }
        return nil
    }
}
