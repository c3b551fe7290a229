/// The four things minutes must say of every action (002): who does it, to what standard,
/// by when, and who supervises.
public struct ActionElements: Hashable, Sendable {
    public var owner: String?
    public var standard: String?
    public var deadline: String?
    public var supervisor: String?

    public init(owner: String?, standard: String?, deadline: String?, supervisor: String?) {
        self.owner = owner
        self.standard = standard
        self.deadline = deadline
        self.supervisor = supervisor
    }

    /// The labels of what is missing, in the order the seed lists them.
    public var missing: [String] {
        [(owner, "谁来干"), (standard, "干到什么标准"), (deadline, "什么时间干完"), (supervisor, "谁来监督")]
            .filter { ($0.0?.trimmingWhitespace() ?? "").isEmpty }.map(\.1)
    }

    /// Minutes cannot be finalised while any action lacks an element.
    public static func checkMinutes(_ actions: [(id: String, elements: ActionElements)]) throws(RuleViolation) {
        let incomplete = actions.filter { !$0.elements.missing.isEmpty }
        guard incomplete.isEmpty else {
            let lines = incomplete.map { "\($0.id) 缺少：\($0.elements.missing.joined(separator: "、"))" }
            throw RuleViolation("纪要还不能定稿，落实事项没写全：\(lines.joined(separator: "；"))。", remedy: Remedy(
                commandLine: "请用 yishi action update 编号 --owner … --standard … --deadline … --supervisor … 补上。",
                desk: "请在议题页面打开这些落实事项，把四要素补全。"))
        }
    }
}
