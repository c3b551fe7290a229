import Foundation
import Testing
@testable import YishiPublicBoard
import YishiModel
import YishiQRCode

/// The board's small parts, without a server: receipts, the form's reading, the limits,
/// what is hidden, and the QR code.
@Suite struct ReceiptTests {
    @Test func receiptsAreTenCharactersWithoutLookAlikesAndDoNotRepeat() {
        let receipts = (0..<2_000).map { _ in Receipt.random().code }
        #expect(Set(receipts).count == receipts.count)
        for code in receipts.prefix(50) {
            #expect(code.range(of: #"^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$"#, options: .regularExpression) != nil, "\(code)")
        }
    }

    @Test func aReceiptIsReadHoweverItIsTyped() {
        let receipt = Receipt.random()
        for typed in [receipt.code, receipt.code.lowercased(), receipt.code.replacingOccurrences(of: "-", with: " "),
                      receipt.code.replacingOccurrences(of: "-", with: "+"), " \(receipt.code.replacingOccurrences(of: "-", with: "")) "] {
            #expect(Receipt(typed: typed) == receipt, "\(typed)")
            #expect(Receipt(typed: typed)?.digest == receipt.digest)
        }
        for wrong in ["", "ABCDE", "ABCDE-FGHJK1", "ABCDE-FGHJ0", "钱秘密", "ABCDE-FGHJI"] { #expect(Receipt(typed: wrong) == nil, "\(wrong)") }
        #expect(receipt.digest.count == 64 && !receipt.digest.contains(receipt.code))
    }
}

@Suite struct IntakeTests {
    @Test func theTitleIsThePlaceAndTheFirstSentenceShortened() {
        #expect(BoardIntake.title("东门路灯坏了三盏。晚上很黑。", place: "东门") == "东门：东门路灯坏了三盏")
        #expect(BoardIntake.title("楼道堆物", place: "") == "楼道堆物")
        let long = String(repeating: "长", count: 40)
        #expect(BoardIntake.title(long, place: "") == String(repeating: "长", count: 30) + "…")
    }

    @Test func theFormIsCheckedAsTheDesksFieldsAre() throws {
        var typed = BoardIntake.Typed()
        typed.matter = "东门路灯坏了三盏，晚上很黑。"
        typed.place = "东门"
        typed.phone = "139 1234 5678"
        let draft = try BoardIntake.draft(typed, receipt: Receipt.random(), today: LocalDate("2026-12-07")!)
        #expect(draft.channel == "网络平台" && draft.proposer.phone == "139 1234 5678" && draft.description.hasSuffix("地点：东门"))
        typed.phone = "12345"
        #expect(throws: RuleViolation.self) { try BoardIntake.draft(typed, receipt: Receipt.random(), today: LocalDate("2026-12-07")!) }
        typed.phone = ""
        typed.place = "东门\u{7}"
        let control = #expect(throws: RuleViolation.self) { try BoardIntake.draft(typed, receipt: Receipt.random(), today: LocalDate("2026-12-07")!) }
        #expect(control?.field == "place")
    }
}

@Suite struct RateLimiterTests {
    @Test func anAddressGetsItsGoesPerWindowAndIsToldWhenTheNextComes() {
        let limiter = RateLimiter(limit: 3, window: 3_600)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for _ in 0..<3 { #expect(limiter.take("10.0.0.1", now: start) == nil) }
        #expect(limiter.take("10.0.0.1", now: start.addingTimeInterval(10)) == start.addingTimeInterval(3_600))
        #expect(limiter.take("10.0.0.2", now: start.addingTimeInterval(10)) == nil)
        #expect(limiter.take("10.0.0.1", now: start.addingTimeInterval(3_601)) == nil)
    }
}

@Suite struct BoardRedactionTests {
    @Test func residentsNamesAndAddressesAreHiddenWhereverStaffTypedThem() {
        var topic = Topic(id: "topic/HL3-01-2026-0001")
        topic.proposer = Proposer(name: "刘阿姨", address: "幸福里9号楼1单元1101室", phone: "13812345678")
        let redact = BoardRedaction([topic], evaluators: ["楼下张先生"], registrations: ["3号楼 钱大爷"])
        let shown = redact("刘阿姨（幸福里9号楼1单元1101室，13812345678）说，楼下张先生和钱大爷都同意；3号楼门口")
        #expect(!shown.contains("刘阿姨") && !shown.contains("1101") && !shown.contains("13812345678"))
        #expect(!shown.contains("张先生") && !shown.contains("钱大爷") && shown.contains("3号楼门口"))
    }
}

@Suite struct QRCodeTests {
    @Test func aURLBecomesASquareCodeWithAQuietZone() throws {
        let code = try #require(QRCode("https://yishi.jiedao.gov.cn/public/HL3/meetings/HL3-01-2026-H001"))
        #expect(code.width >= 21 && (code.width - 17) % 4 == 0)
        #expect(code.modules.allSatisfy { $0.count == code.width })
        // The finder pattern's corner is dark, and the SVG leaves four light modules around.
        #expect(code.modules[0][0] && code.modules[0][6] && !code.modules[1][1])
        let svg = code.svg(title: "二维码")
        #expect(svg.contains("viewBox=\"0 0 \(code.width + 8) \(code.width + 8)\"") && svg.contains("M4 4h7"))
    }
}

/// The board's budget of pages a second, with the clock given.
@Suite struct BoardBudgetTests {
    @Test func aBurstUpToTheBudgetPassesAndThenOnlyWhatRefills() {
        let start = 1_000.0
        let budget = BoardBudget(perSecond: 10, now: start)
        #expect((0..<10).allSatisfy { _ in budget.take(now: start) })
        #expect(!budget.take(now: start))
        // A tenth of a second gives back one place, and only one.
        #expect(budget.take(now: start + 0.1))
        #expect(!budget.take(now: start + 0.1))
        // An idle minute does not save up more than a second's worth.
        #expect((0..<10).allSatisfy { _ in budget.take(now: start + 60) })
        #expect(!budget.take(now: start + 60))
        // A clock read late on another thread (an earlier time) takes nothing back.
        #expect(!budget.take(now: start + 59))
        #expect(budget.take(now: start + 60.25))
    }

    /// Over the budget, a request waits a moment for a place and is then turned away: the
    /// flood is slowed, and answered, rather than queued without end.
    @Test func overTheBudgetARequestWaitsAMomentThenIsTurnedAway() async {
        // The budget's clock stands still, so the test does not depend on how soon a busy
        // test run resumes it; the wait itself is real.
        let budget = BoardBudget(perSecond: 1, now: 1_000)
        #expect(await budget.wait(now: { 1_000 }))
        let clock = ContinuousClock()
        var admitted = true
        let waited = await clock.measure { admitted = await budget.wait(patience: .milliseconds(100), now: { 1_000 }) }
        #expect(!admitted)
        #expect(waited >= .milliseconds(100))
    }
}
