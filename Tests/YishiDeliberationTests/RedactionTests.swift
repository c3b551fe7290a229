import Foundation
import Testing
@testable import YishiDeliberation
import YishiModel

@Suite struct RedactionTests {
    /// The ways people write a phone number into a description or the minutes.
    static let phoneForms = [
        "13812345678", "138-1234-5678", "138 1234 5678", "137 1234 5678", "+86 139 8765 4321", "+8613987654321",
        "0086 139 8765 4321", "86-139-8765-4321", "１３６１２３４５６７８", "１３６ １２３４ ５６７８", "＋８６ １３６１２３４５６７８",
        "0451-86123456", "045186123456", "010-12345678", "(0451) 8612 3456", "（0451）86123456", "0451 8612 3456",
        "+86 451 8612 3456", "０４５１－８６１２３４５６", "021 6123 4567",
    ]

    @Test(arguments: phoneForms)
    func phoneNumbersAreRecognised(_ number: String) {
        #expect(Redaction.isPhoneNumber(number), "\(number)")
        #expect(Redaction.redact("请回电 \(number)。") == "请回电 \(Redaction.hiddenPhone)。")
        #expect(Redaction.redact("电话\(number)，谢谢") == "电话\(Redaction.hiddenPhone)，谢谢")
        #expect(!Redaction.redact("联系人刘阿姨 \(number) 3号楼").contains(Redaction.digits(of: number).suffix(8)))
    }

    @Test(arguments: ["DSF-01-2026-0001", "2026-11-30", "12345", "20261130", "第1号楼", "共1800户", "HL3-01-2026-A001",
                      "征求意见 1800 户，同意 1760 户（97.8%）", "2026-11-06 14:30", "第 3 轮", "1800 1760", "3号楼", "3号楼2单元",
                      "12 号楼北侧", "第1802号文件", "共 1200 户", "5栋楼",
                      "12345678901", "20 2611 3000", "金额 1,234,567 元"])
    func otherNumbersStay(_ text: String) {
        #expect(Redaction.redact(text) == text)
    }

    /// A room number names a household and is masked like a phone number; the building
    /// stays, as it says where the matter is.
    @Test(arguments: [
        ("7号楼501", "7号楼（房号已隐去）"), ("3单元402室", "3单元（房号已隐去）"), ("3号楼2单元301室", "3号楼2单元（房号已隐去）"),
        ("住5栋1202，漏水", "住5栋（房号已隐去），漏水"), ("402室的刘阿姨", "（房号已隐去）的刘阿姨"), ("3-2-301 门口", "（房号已隐去） 门口"),
        ("１２号楼５０２", "１２号楼（房号已隐去）"), ("2楼203房", "2楼（房号已隐去）"),
    ])
    func roomNumbersAreMaskedAndBuildingsStay(_ written: String, _ shown: String) {
        #expect(Redaction.redact(written) == shown)
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
