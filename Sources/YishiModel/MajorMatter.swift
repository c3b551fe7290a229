/// A major matter (重大事项) through 五议一备两公开 (002): 党组织提议 → 班子商议 → 单位联议
/// → 会议审议 → 集体决议, each with its date and who took part, in that order; then 备案,
/// the written resolution filed with the street's party working committee (which
/// acknowledges it on the office desk); then two publications to all residents, the
/// resolution and later the implementation result.
public struct MajorMatter: Hashable, Sendable {
    public var id: String
    public var topic: String?
    /// Step name → date, people, what was proposed or decided.
    public var stepDates: [String: LocalDate]
    public var stepPeople: [String: String]
    public var stepNotes: [String: String]
    public var resolution: String
    public var filedOn: LocalDate?
    public var acknowledgedOn: LocalDate?
    public var acknowledgedBy: String?
    public var resolutionPublishedOn: LocalDate?
    public var outcome: String
    public var outcomePublishedOn: LocalDate?
    public var newerContent: [String] = []

    public init(id: String) {
        self.id = id
        stepDates = [:]
        stepPeople = [:]
        stepNotes = [:]
        resolution = ""
        outcome = ""
    }

    public var reference: String { referenceOf(id) }

    public static let steps = Vocabulary.majorSteps

    /// The first of the five steps not yet taken; nil once all five are.
    public var nextStep: String? { Self.steps.first { stepDates[$0] == nil } }

    /// Where the matter stands, as people say it.
    public var stage: String {
        if outcomePublishedOn != nil { return "两公开已完成" }
        if resolutionPublishedOn != nil { return "决议已公开，待公开实施结果" }
        if filedOn != nil { return acknowledgedOn == nil ? "已备案，待街道党工委签收" : "已备案并签收，待公开决议" }
        return nextStep.map { "待\($0)" } ?? "五议已完成，待备案"
    }

    /// A step may be recorded only as the next one, on or after the day of the one before.
    public func checkStep(_ name: String, on date: LocalDate) throws(RuleViolation) {
        guard let index = Self.steps.firstIndex(of: name) else {
            throw RuleViolation("“\(name)”不是五议中的一步；五议依次是：\(Self.steps.joined(separator: " → "))。", field: "step")
        }
        guard stepDates[name] == nil else { throw RuleViolation("“\(name)”已经记录过了（\(stepDates[name]!)）。", field: "step") }
        guard let next = nextStep, next == name else {
            throw RuleViolation("五议要依次进行，不能跳过：下一步是“\(nextStep ?? "")”，还不能记录“\(name)”。", field: "step")
        }
        if index > 0, let before = stepDates[Self.steps[index - 1]], date < before {
            throw RuleViolation("“\(name)”的日期 \(date) 早于上一步“\(Self.steps[index - 1])”的 \(before)。", field: "date")
        }
    }

    /// 备案 follows the five steps, with the written resolution.
    public func checkFiling(on date: LocalDate, resolution: String) throws(RuleViolation) {
        guard filedOn == nil else { throw RuleViolation("重大事项 \(reference) 已于 \(filedOn!) 备案。") }
        if let step = nextStep { throw RuleViolation("五议还没有完成（下一步：\(step)），不能备案。") }
        guard !resolution.trimmingWhitespace().isEmpty else {
            throw RuleViolation("备案要附书面决议，请写上决议的内容。", field: "resolution")
        }
        if let decided = stepDates[Self.steps.last!], date < decided {
            throw RuleViolation("备案日期 \(date) 早于集体决议的 \(decided)。", field: "date")
        }
    }

    /// 两公开: the resolution once the street has signed for its filing (集体决议 → 备案 →
    /// 两公开, 002), then the implementation result.
    public func checkPublication(resolution: Bool, on date: LocalDate, outcome: String?) throws(RuleViolation) {
        guard let filed = filedOn else { throw RuleViolation("决议须先报街道党工委备案，才能向居民公开。") }
        if resolution {
            guard resolutionPublishedOn == nil else { throw RuleViolation("决议已于 \(resolutionPublishedOn!) 公开。") }
            guard let acknowledged = acknowledgedOn else {
                throw RuleViolation("决议已于 \(filed) 报街道党工委备案，街道还没有签收。按“集体决议 → 备案 → 两公开”的顺序，"
                    + "街道签收备案后才能向居民公开决议；签收后（同步即可收到）再来公开。")
            }
            if date < acknowledged { throw RuleViolation("公开日期 \(date) 早于街道签收备案的日期 \(acknowledged)。", field: "date") }
            return
        }
        guard let published = resolutionPublishedOn else { throw RuleViolation("请先公开决议，实施结果在其后公开。") }
        guard outcomePublishedOn == nil else { throw RuleViolation("实施结果已于 \(outcomePublishedOn!) 公开。") }
        guard !(outcome ?? "").trimmingWhitespace().isEmpty else {
            throw RuleViolation("请写明实施结果。", field: "outcome")
        }
        if date < published { throw RuleViolation("公开日期 \(date) 早于决议公开的 \(published)。", field: "date") }
    }
}
