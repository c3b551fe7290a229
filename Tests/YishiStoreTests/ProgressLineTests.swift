import PropertyBased
import Testing
import YishiStore

/// What the progress line says, given a clock and a width: no terminal involved.
@Suite struct ProgressLineTests {
    @Test func firstLineHasNoRateYet() {
        var line = ProgressLine()
        let progress = WorkProgress("核对日志", done: 1_000, total: 10_000)
        line.note(progress, at: 0)
        #expect(line.render(progress, width: 80) == "核对日志  1,000/10,000 条  10.0%")
    }

    @Test func rateAndTimeLeftComeFromTheWindow() {
        var line = ProgressLine(window: 5)
        // 1,000 ops a second for ten seconds.
        for second in 0...10 { line.note(WorkProgress("重建副本", done: Int64(second) * 1_000, total: 100_000), at: Double(second)) }
        let progress = WorkProgress("重建副本", done: 10_000, total: 100_000)
        #expect(line.render(progress, width: 120) == "重建副本  10,000/100,000 条  10.0%  1,000 条/秒  剩余 1:30")
    }

    /// A slow start (a cold page cache) does not weigh on the estimate once the window has
    /// moved past it.
    /// A finished stage has nothing left to estimate.
    @Test func aFinishedStageShowsNoTimeLeft() {
        var line = ProgressLine()
        for second in 0...4 { line.note(WorkProgress("核对日志", done: Int64(second) * 2_500, total: 10_000), at: Double(second)) }
        #expect(line.render(WorkProgress("核对日志", done: 10_000, total: 10_000), width: 80) == "核对日志  10,000/10,000 条  100.0%  2,500 条/秒")
    }

    @Test func aSlowStartIsForgotten() {
        var line = ProgressLine(window: 5)
        var done: Int64 = 0
        for second in 0..<30 {
            done += second < 10 ? 10 : 2_000
            line.note(WorkProgress("复制日志", done: done, total: 1_000_000), at: Double(second))
        }
        #expect(line.rate == 2_000)
    }

    @Test func bytesAreShownInMegabytes() {
        var line = ProgressLine()
        for second in 0...4 {
            line.note(WorkProgress("复制数据库", done: Int64(second) * 50 << 20, total: 1_600 << 20, unit: .bytes), at: Double(second))
        }
        let progress = WorkProgress("复制数据库", done: 200 << 20, total: 1_600 << 20, unit: .bytes)
        #expect(line.render(progress, width: 120) == "复制数据库  200.0/1,600.0 MB  12.5%  50.0 MB/秒  剩余 0:28")
    }

    @Test func aNewStageStartsItsRateAfresh() {
        var line = ProgressLine()
        for second in 0...5 { line.note(WorkProgress("核对日志", done: Int64(second) * 500, total: 10_000), at: Double(second)) }
        line.note(WorkProgress("计算摘要", done: 0, total: 800, unit: .fields), at: 6)
        #expect(line.rate == nil)
        #expect(line.render(WorkProgress("计算摘要", done: 0, total: 800, unit: .fields), width: 80) == "计算摘要  0/800 项  0.0%")
    }

    @Test func workWithoutAKnownEndShowsWhatIsDone() {
        var line = ProgressLine()
        line.note(WorkProgress("下载修改", done: 0, total: nil), at: 0)
        #expect(line.render(WorkProgress("下载修改", done: 0, total: nil), width: 80) == "下载修改  ……")
        for second in 1...3 { line.note(WorkProgress("下载修改", done: Int64(second) * 5_000, total: nil), at: Double(second)) }
        #expect(line.render(WorkProgress("下载修改", done: 15_000, total: nil), width: 80) == "下载修改  15,000 条  5,000 条/秒")
    }

    /// On a narrow terminal the rate goes first, then the share, then the stage.
    @Test func aNarrowTerminalDropsTheLeastNeeded() {
        var line = ProgressLine()
        for second in 0...10 { line.note(WorkProgress("重建副本", done: Int64(second) * 1_000, total: 100_000), at: Double(second)) }
        let progress = WorkProgress("重建副本", done: 10_000, total: 100_000)
        #expect(line.render(progress, width: 48) == "重建副本  10,000/100,000 条  10.0%  剩余 1:30")
        #expect(line.render(progress, width: 40) == "重建副本  10,000/100,000 条  剩余 1:30")
        #expect(line.render(progress, width: 30) == "重建副本  10,000/100,000 条")
        #expect(line.render(progress, width: 24) == "10,000/100,000 条")
        #expect(line.render(progress, width: 8) == "10,000/1")
    }

    @Test func columnsCountChineseAsTwo() {
        #expect(ProgressLine.columns("核对日志 42%") == 12)
        #expect(ProgressLine.quantity(3_278_000, .ops, withUnit: true) == "3,278,000 条")
        #expect(ProgressLine.quantity(851_858_637, .bytes, withUnit: true) == "812.4 MB")
        #expect(ProgressLine.percent(3_278_000, 5_890_200) == "55.6%")
    }

    /// Whatever the width and the numbers, the line never runs past the terminal's edge
    /// (which would wrap it and break the redraw in place).
    @Test func theLineNeverOverflows() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: 1...160), Gen.int64(in: 0...10_000_000_000), Gen.int64(in: 0...10_000_000_000),
                            Gen.bool()) { width, a, b, bytes in
            var line = ProgressLine()
            let unit: WorkProgress.Unit = bytes ? .bytes : .ops
            line.note(WorkProgress("复制日志", done: 0, total: max(a, b), unit: unit), at: 0)
            line.note(WorkProgress("复制日志", done: min(a, b), total: max(a, b), unit: unit), at: 3)
            let text = line.render(WorkProgress("复制日志", done: min(a, b), total: max(a, b), unit: unit), width: width)
            #expect(ProgressLine.columns(text) <= width, "\(text) at width \(width)")
        }
    }
}
