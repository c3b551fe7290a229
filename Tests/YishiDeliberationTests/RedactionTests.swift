import Foundation
import Testing
import YishiDeliberation
import YishiModel

@Suite struct RedactionTests {
    @Test(arguments: ["13812345678", "138-1234-5678", "0451-86123456", "045186123456", "010-12345678"])
    func phoneNumbersAreRecognised(_ number: String) {
        #expect(Redaction.isPhoneNumber(number))
        #expect(Redaction.redact("请回电 \(number)。") == "请回电 \(Redaction.hiddenPhone)。")
    }

    @Test(arguments: ["DSF-01-2026-0001", "2026-11-30", "12345", "20261130", "第1号楼", "共1800户", "HL3-01-2026-A001"])
    func otherNumbersStay(_ text: String) {
        #expect(Redaction.redact(text) == text)
    }

    @Test func anonymousNamesAreReplaced() {
        #expect(Redaction.redact("秘密先生反映噪音", names: ["秘密先生"]) == "匿名居民反映噪音")
    }
}

@Suite struct RulesFileTests {
    @Test func theShippedExampleIsTheDefault() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/rules.toml")
        let text = try String(contentsOf: example, encoding: .utf8)
        #expect(text == RulesFile.defaultText)
        #expect(try RulesFile.parse(text, file: "rules.toml") == CommunityRules())
    }

    @Test func communitiesMaySetTheirOwnThresholds() throws {
        let rules = try RulesFile.parse("notice_days = 5\nconsensus_percent = 75 # 本社区\ncommunity_name = \"哈量三社区\"\n", file: "r")
        #expect(rules.noticeDays == 5 && rules.consensusPercent == 75 && rules.communityName == "哈量三社区")
    }

    @Test(arguments: [
        ("consensus_percnt = 80", "第 1 行", "不认识的键“consensus_percnt”"),
        ("consensus_percent = 180", "第 1 行", "1 到 100"),
        ("\n\nnotice_days = three", "第 3 行", "notice_days"),
        ("committee_categories = 居民代表", "第 1 行", "committee_categories"),
        ("notice_days", "第 1 行", "键 = 值"),
    ])
    func badLinesStopWithTheirLineNumber(_ text: String, _ line: String, _ mention: String) {
        #expect {
            try RulesFile.parse(text, file: "rules.toml")
        } throws: { error in
            "\(error)".contains(line) && "\(error)".contains(mention)
        }
    }
}
