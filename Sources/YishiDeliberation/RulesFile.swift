import Foundation
import YishiModel

/// Reads a community's `rules.toml`: the thresholds it deliberates by. Only the keys below
/// are allowed; an unknown key or a bad value stops with the line that is wrong, rather
/// than silently running on defaults the community did not choose.
public enum RulesFile {
    public static let fileName = "rules.toml"

    /// The file `yishi init` writes: the seeds' numbers, explained.
    public static let defaultText = """
        # 本社区的议事规则。改动后立即生效；键名写错或数值不合理时，命令会停下并指出是哪一行。

        # 公示上印的社区名称（不写则用社区编号）。
        # community_name = "哈量三社区"

        # 协商会议至少提前几天公示（北京市社区议事厅规则第十条：三日）。
        notice_days = 3

        # 委员会决定须经全体在任委员的多少百分比同意（356 协商议事法：80%）。
        consensus_percent = 80

        # 评议满意率（满意 + 基本满意）低于多少百分比时进入整改、再次验收。
        satisfaction_percent = 80

        # 居民的建议被评为金点子或好法子时记多少积分。
        points_per_idea = 10

        # 协商委员会的委员界别（356 协商议事法的八个方面）。
        committee_categories = ["社区党组织代表", "社区居民委员会代表", "居务监督委员会代表", "网格员代表", "居民代表", "妇女代表", "驻社区单位代表", "社区骨干"]

        # 每个方面推选几名委员（356 协商议事法：每个方面推荐产生 1 人）。超过时照常登记，并提醒。
        members_per_category = 1

        # 委员每届任期几年（356 协商议事法：原则上每 3 年为一个任期）。超过时照常登记，并提醒。
        term_years = 3

        # 议题须先经两委联席会议确定，才能安排议事厅协商（北京市社区议事厅规则第九条）。
        # 本社区小事不开联席会议的，改为 false。
        confirm_before_meeting = true

        # 居民会议须有超过应到人数这个百分比的人出席，决定须经超过出席人数这个百分比的人同意
        # （城市居民委员会组织法第十条：过半数）。
        assembly_quorum_percent = 50
        assembly_majority_percent = 50

        """

    static let keys = ["community_name", "notice_days", "consensus_percent", "satisfaction_percent", "points_per_idea",
                       "committee_categories", "members_per_category", "term_years", "confirm_before_meeting",
                       "assembly_quorum_percent", "assembly_majority_percent"]

    public static func parse(_ text: String, file: String) throws -> CommunityRules {
        var rules = CommunityRules()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            func fail(_ problem: String) -> RuleViolation { RuleViolation("\(file) 第 \(index + 1) 行：\(problem)") }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { throw fail("应写成 键 = 值") }
            let key = parts[0], value = parts[1]
            func percent() throws -> Int {
                guard let number = Int(value), (1...100).contains(number) else { throw fail("\(key) 应是 1 到 100 之间的整数，现在是 \(value)") }
                return number
            }
            switch key {
            case "notice_days":
                guard let days = Int(value), (0...30).contains(days) else { throw fail("notice_days 应是 0 到 30 之间的整数，现在是 \(value)") }
                rules.noticeDays = days
            case "consensus_percent": rules.consensusPercent = try percent()
            case "satisfaction_percent": rules.satisfactionPercent = try percent()
            case "points_per_idea":
                guard let points = Int(value), (0...1000).contains(points) else { throw fail("points_per_idea 应是 0 到 1000 之间的整数") }
                rules.pointsPerIdea = points
            case "community_name":
                guard let name = quoted(value), !name.isEmpty else { throw fail("community_name 应写成 \"社区名称\"（带英文双引号）") }
                rules.communityName = name
            case "members_per_category":
                guard let count = Int(value), (1...50).contains(count) else { throw fail("members_per_category 应是 1 到 50 之间的整数，现在是 \(value)") }
                rules.membersPerCategory = count
            case "term_years":
                guard let years = Int(value), (1...10).contains(years) else { throw fail("term_years 应是 1 到 10 之间的整数，现在是 \(value)") }
                rules.termYears = years
            case "confirm_before_meeting":
                guard value == "true" || value == "false" else { throw fail("confirm_before_meeting 应写 true 或 false（不加引号），现在是 \(value)") }
                rules.confirmBeforeMeeting = value == "true"
            case "assembly_quorum_percent":
                guard let number = Int(value), (1...99).contains(number) else { throw fail("assembly_quorum_percent 应是 1 到 99 之间的整数，现在是 \(value)") }
                rules.assemblyQuorumPercent = number
            case "assembly_majority_percent":
                guard let number = Int(value), (1...99).contains(number) else { throw fail("assembly_majority_percent 应是 1 到 99 之间的整数，现在是 \(value)") }
                rules.assemblyMajorityPercent = number
            case "committee_categories":
                guard let list = stringArray(value), !list.isEmpty else { throw fail("committee_categories 应写成 [\"界别一\", \"界别二\"]") }
                rules.committeeCategories = list
            default:
                throw fail("不认识的键“\(key)”；可用的键：\(keys.joined(separator: "、"))")
            }
        }
        return rules
    }

    /// The rules in a data directory, or the defaults when it has none.
    public static func load(from directory: URL) throws -> CommunityRules {
        let url = directory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else { return CommunityRules() }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleViolation("\(url.path) 不是 UTF-8 编码，请另存为 UTF-8。")
        }
        return try parse(text, file: url.path)
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        for (offset, character) in line.enumerated() {
            if character == "\"" { inString.toggle() }
            if character == "#" && !inString { return String(line.prefix(offset)) }
        }
        return line
    }

    private static func quoted(_ value: String) -> String? {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return nil }
        return String(value.dropFirst().dropLast())
    }

    private static func stringArray(_ value: String) -> [String]? {
        guard value.hasPrefix("["), value.hasSuffix("]"),
              let data = value.data(using: .utf8),
              let list = try? JSONSerialization.jsonObject(with: data) as? [String]
        else { return nil }
        return list
    }
}
