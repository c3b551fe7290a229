import Foundation
import Testing
import YishiStore

/// When the meter draws, and what stopping does, with a clock the test moves by hand.
@Suite struct ProgressMeterTests {
    final class Screen: @unchecked Sendable {
        var written: [String] = []
        var now = 0.0
    }

    func meter(_ mode: ProgressMeter.Mode, _ screen: Screen, kept: String = "没有改动任何东西。") -> ProgressMeter {
        ProgressMeter(mode: mode, kept: kept, width: { 60 }, clock: { screen.now }) { screen.written.append($0) }
    }

    @Test func modeFollowsWhereStandardErrorGoes() {
        #expect(ProgressMeter.mode(json: false, environment: [:], stderrIsTerminal: true, stderrIdentity: "8:12") == .terminal)
        #expect(ProgressMeter.mode(json: true, environment: [:], stderrIsTerminal: true, stderrIdentity: "8:12") == .silent)
        #expect(ProgressMeter.mode(json: false, environment: [:], stderrIsTerminal: false, stderrIdentity: "8:12") == .silent)
        // Under systemd the journal is standard error itself…
        #expect(ProgressMeter.mode(json: true, environment: ["JOURNAL_STREAM": "8:12"], stderrIsTerminal: false, stderrIdentity: "8:12") == .journal)
        // …but a shell started from a service inherits the variable with another stderr.
        #expect(ProgressMeter.mode(json: false, environment: ["JOURNAL_STREAM": "8:12"], stderrIsTerminal: true, stderrIdentity: "9:40") == .terminal)
    }

    @Test func aTerminalIsRedrawnTwiceASecondInPlace() throws {
        let screen = Screen()
        let meter = meter(.terminal, screen)
        for step in 0..<100 {
            screen.now = Double(step) / 20  // a report every 50 ms for five seconds
            try meter.note(WorkProgress("核对日志", done: Int64(step) * 100, total: 20_000))
        }
        #expect(screen.written.count == 10)
        #expect(screen.written.allSatisfy { $0.hasPrefix("\r") && ProgressLine.columns($0) == 60 })
        // The end of a stage is drawn at once.
        try meter.note(WorkProgress("核对日志", done: 20_000, total: 20_000))
        #expect(screen.written.count == 11 && screen.written.last!.contains("100.0%"))
        meter.finish()
        #expect(screen.written.last == "\r\u{1B}[K")
    }

    @Test func theJournalGetsALineEveryTenSecondsOfALongRun() throws {
        let screen = Screen()
        let meter = meter(.journal, screen)
        for second in 0...35 {
            screen.now = Double(second)
            try meter.note(WorkProgress("复制日志", done: Int64(second) << 20, total: 100 << 20, unit: .bytes))
        }
        #expect(screen.written.count == 3)
        #expect(screen.written.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") })
        #expect(screen.written[0].hasPrefix("复制日志  10.0/100.0 MB  10.0%"))
    }

    @Test func aShortRunUnderSystemdAndAPipeSayNothing() throws {
        let screen = Screen()
        let journal = meter(.journal, screen), silent = meter(.silent, screen)
        for step in 0..<50 {
            screen.now = Double(step) * 0.1
            try journal.note(WorkProgress("重建副本", done: Int64(step), total: 50))
            try silent.note(WorkProgress("重建副本", done: Int64(step), total: 50))
        }
        journal.finish()
        silent.finish()
        #expect(screen.written.isEmpty)
    }

    /// Asked to stop, the work's next report throws, and the meter says where it was and
    /// what was kept.
    @Test func stoppingEndsTheWorkAtItsNextReport() throws {
        let screen = Screen()
        let meter = meter(.terminal, screen, kept: "副本数据库保持原样。")
        var reported = 0
        #expect(throws: StoreError.self) {
            try meter.run { report in
                for step in 1...1_000 {
                    screen.now = Double(step)
                    try report(WorkProgress("重建副本", done: Int64(step), total: 1_000))
                    reported = step
                    if step == 420 { meter.requestStop() }
                }
            }
        }
        #expect(reported == 420)
        #expect(!meter.shouldContinue)
        #expect(screen.written.contains("正在停止：等当前这一步安全结束……（再按一次 Ctrl+C 立即退出）\n"))
        #expect(screen.written.last == "已中断：“重建副本”进行到 42.1%。副本数据库保持原样。\n")
    }
}
