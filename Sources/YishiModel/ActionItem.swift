/// What was agreed to be done (落实事项): the four elements, status and dated notes.
public struct ActionItem: Hashable, Sendable {
    public var id: String
    public var topic: String?
    public var meeting: String?
    public var elements: ActionElements
    public var status: String?
    public var notes: [String]
    /// `整改` for the rectification after an evaluation round; nil for an agreed action.
    public var purpose: String?
    /// For a rectification: the evaluation round it puts right.
    public var round: Int?
    /// What a newer build wrote here that this build does not know (`Schema.newerContent`).
    public var newerContent: [String] = []

    public init(id: String, topic: String?, meeting: String?, elements: ActionElements, status: String?, notes: [String]) {
        self.id = id
        self.topic = topic
        self.meeting = meeting
        self.elements = elements
        self.status = status
        self.notes = notes
    }

    public var reference: String { referenceOf(id) }
    public var isDone: Bool { Self.isDone(status: status) }
    /// Done or accepted: for lists that read only an action's status.
    public static func isDone(status: String?) -> Bool { status == "done" || status == "accepted" }
    public var isRectification: Bool { purpose == "整改" }
    public var deadline: LocalDate? { elements.deadline.flatMap(LocalDate.init) }
}

/// A matter the community cannot solve, sent up (社区吹哨、部门报到).
public struct Escalation: Hashable, Sendable {
    public var id: String
    public var topic: String?
    public var level: String?
    public var department: String?
    public var reason: String?
    public var escalatedOn: LocalDate?
    public var deadline: LocalDate?
    public var reportedOn: LocalDate?
    public var response: String?
    /// What a newer build wrote here that this build does not know (`Schema.newerContent`).
    public var newerContent: [String] = []

    public init(id: String) { self.id = id }

    public var reference: String { referenceOf(id) }
    public var isAnswered: Bool { response != nil }

    /// Who it went to, as people say it: 街道城管科; 区卫健局 (not 区区卫健局) when the
    /// department's name already says its level.
    public var addressee: String {
        let level = self.level ?? "", department = self.department ?? ""
        return department.hasPrefix(level) ? department : level + department
    }
}

/// One round of residents' ratings of a result (评议).
public struct Evaluation: Hashable, Sendable {
    public var id: String
    public var topic: String?
    public var round: Int
    /// Evaluator → 满意 / 基本满意 / 不满意.
    public var ratings: [String: String]
    public var comments: [String: String]
    public var result: String?
    /// The satisfaction share the round was closed by (schema 1.3).
    public var percent: Int?
    /// What a newer build wrote here that this build does not know (`Schema.newerContent`).
    public var newerContent: [String] = []

    /// The satisfaction share the round was judged by: kept with it, or named in an older
    /// record's result (`须达 80%`); nil while the round is open.
    public var judgedPercent: Int? { percent ?? JudgedShare.read(result, after: "须达 ") }

    public init(id: String, topic: String?, round: Int, ratings: [String: String], comments: [String: String], result: String?) {
        self.id = id
        self.topic = topic
        self.round = round
        self.ratings = ratings
        self.comments = comments
        self.result = result
    }
}
