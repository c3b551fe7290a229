/// YishiDeliberation: the 六事 loop on a station's replica — topics, the committee,
/// meetings, actions, escalations, evaluations — with every workflow rule checked before
/// an edit becomes an op, and the notices and statistics made from the records.
import YishiMerge
import YishiModel
import YishiStore
import YishiTrust

public struct Deliberation: Sendable {
    public let replica: Replica
    public let rules: CommunityRules
    /// The current time, injected so that the rules can be tested at any date.
    public let now: @Sendable () -> LocalDateTime
    /// At the central, which holds every community: the one community this loop reads.
    /// Nil at a station, whose replica is its community.
    public let scope: String?

    public init(replica: Replica, rules: CommunityRules, now: @escaping @Sendable () -> LocalDateTime, scope: String? = nil) {
        self.replica = replica
        self.rules = rules
        self.now = now
        self.scope = scope
    }

    public var today: LocalDate { now().date }

    var wallTime: WallTime { WallTime(milliseconds: now().milliseconds) }

    /// The start of this station's reference numbers of a kind this year:
    /// `topic/HL3-01-2026-`, `meeting/HL3-01-2026-H`. At the central, which writes for a
    /// community only what residents raise on its board: `topic/HL3-W-2026-`.
    func prefix(_ type: String, _ letter: String = "") -> String {
        "\(type)/\(scope.map { "\($0)-W" } ?? replica.station)-\(today.year)-\(letter)"
    }

    @discardableResult
    func edit(_ edits: [LocalEdit], by author: String) throws -> [Op] {
        try replica.edit(edits, author: author, at: wallTime)
    }

    /// A new record and its first edits; at the central, in this loop's community.
    func create(_ prefix: String, digits: Int = 4, by author: String, _ build: (String) throws -> [LocalEdit]) throws -> String {
        try replica.create(prefix: prefix, digits: digits, author: author, at: wallTime) { id in
            try build(id).map { edit in
                var edit = edit
                edit.scope = edit.scope ?? scope
                return edit
            }
        }.id
    }

    /// A record id from what a person typed: `HL3-01-2026-0017` or `topic/HL3-01-2026-0017`.
    func recordID(_ type: String, _ reference: String) -> String {
        reference.hasPrefix(type + "/") ? reference : "\(type)/\(reference)"
    }

    /// Checks texts a person typed (see `TextInput`): nil and empty pass, the rest must fit.
    static func checkText(_ checks: [(String?, TextInput)]) throws {
        for (value, input) in checks {
            if let value { try input.check(value) }
        }
    }

    /// Refuses, at a station, what only the street may record (its opinion, signing for a
    /// filing, a department's answer): the replicas refuse such an op from any other origin,
    /// so the loop says so first, with where the street records it.
    func requireStreet(_ act: String, at place: String) throws {
        guard replica.replica.isStreet else {
            throw RuleViolation("\(act)只能由街道录入：请街道工作人员在街道工作台的\(place)录入，同步后本站即可看到。本站没有做任何改动。")
        }
    }

    static func line(_ label: String, _ field: String, _ limit: Int = 50) -> TextInput { TextInput(label, field: field, limit: limit) }
    static func text(_ label: String, _ field: String, _ limit: Int = 2_000) -> TextInput { TextInput(label, field: field, limit: limit, .text) }

    func status(_ workflow: Workflow, _ name: String, round: Int = 1) -> LocalChange {
        let step = workflow.status(name)!
        return .status(StatusValue(name: step.name, rank: workflow.rank(of: step, round: round), branch: step.branch))
    }
}

extension LocalEdit {
    static func write(_ record: String, _ field: String, _ value: String?) -> LocalEdit {
        LocalEdit(record: record, field: field, change: .write(value))
    }

    static func add(_ record: String, _ field: String, _ element: String) -> LocalEdit {
        LocalEdit(record: record, field: field, change: .add(element))
    }
}
