/// A matter a resident raised (议题), as the records show it now.
public struct Topic: Hashable, Sendable {
    public var id: String
    public var title: String
    public var description: String
    public var channel: String?
    public var proposer: Proposer
    public var category: String?
    public var handling: String?
    public var status: String?
    public var raisedOn: LocalDate?
    public var closedOn: LocalDate?
    public var round: Int
    public var evaluationRound: Int
    public var idea: String?
    public var tags: [String]
    public var meetings: [String]
    public var actions: [String]
    public var escalations: [String]
    /// Touches government public services: the street's opinion comes before a meeting.
    public var publicService = false
    /// Marked a dispute at classification (a category other than 邻里及家庭纠纷 may be one too).
    public var dispute = false
    /// The 两委联席会议 that confirmed it or set it aside, and the street opinions asked.
    public var jointMeeting: String?
    public var opinions: [String] = []
    /// Its residents' assemblies, its major-matter procedure, its mediations.
    public var assemblies: [String] = []
    public var major: String?
    public var mediations: [String] = []
    /// For a matter raised online: the digest of the receipt number the resident was given.
    public var receipt: String?

    /// The proposer as a public notice names them: a resident who raised it on the board was
    /// told only staff would see their name, and one who asked for it stays anonymous.
    public var publicProposerName: String { receipt != nil ? "匿名居民" : proposer.publicName }
    /// Why staff marked it 无效.
    public var invalidReason: String?
    /// Fields where concurrent edits still disagree.
    public var conflicts: Int
    /// The statuses two stations' concurrent outcomes left standing when they disagree
    /// (调解化解 at one, 调解未成 at the other): a person chooses; empty otherwise.
    public var statusSides: [String] = []
    /// What a newer build wrote here that this build does not know (`Schema.newerContent`).
    public var newerContent: [String] = []

    /// `HL3-01-2026-0017`: the part people say aloud and print.
    public var reference: String { referenceOf(id) }

    public init(id: String) {
        self.id = id
        title = ""
        description = ""
        proposer = Proposer()
        round = 0
        evaluationRound = 0
        tags = []
        meetings = []
        actions = []
        escalations = []
        conflicts = 0
    }

    /// The status as people read it; a status in conflict names every side, not one of them.
    public var statusText: String {
        guard statusSides.count > 1 else { return Workflow.topic.label(of: status ?? "") }
        return statusSides.map(Workflow.topic.label(of:)).joined(separator: " / ") + "（两处记录不一致，待确认）"
    }

    public var isSolved: Bool { status == "closed" }
    /// Still being worked on: neither closed nor withdrawn, whatever the step.
    public var isOpen: Bool { Self.isOpen(status: status) }

    public static func isOpen(status: String?) -> Bool { !Self.ended.contains(status ?? "") }

    /// Where a topic's loop ends: closed, withdrawn, rejected by the residents' assembly,
    /// or a dispute transferred out of the community (to a court, a mediation committee).
    public static let ended: Set<String> = ["closed", "withdrawn", "rejected", "transferred", "invalid"]

    /// Marked 无效 (an advertisement, a duplicate, unrelated): not a matter, so not in the figures.
    public var isInvalid: Bool { status == "invalid" }

    /// A dispute (邻里及家庭纠纷, or marked one at classification): it may be mediated.
    public var isDispute: Bool { category == Vocabulary.disputeCategory || dispute }
}

/// Who raised a matter. Personal data: phone numbers never appear on a notice, and an
/// anonymous proposer's name does not either.
public struct Proposer: Hashable, Sendable {
    public var name: String?
    public var address: String?
    public var phone: String?
    public var anonymous = false

    public init(name: String? = nil, address: String? = nil, phone: String? = nil, anonymous: Bool = false) {
        self.name = name
        self.address = address
        self.phone = phone
        self.anonymous = anonymous
    }

    /// The name as a public notice may show it.
    public var publicName: String { anonymous || (name ?? "").isEmpty ? "匿名居民" : name! }
}
