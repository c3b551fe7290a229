import Foundation
import Testing
import YishiTestSupport

/// Long commands on a real pseudo-terminal: the live line a person sees, what Ctrl+C
/// does, and that nothing is drawn where nobody watches (a pipe, --json).
@Suite struct ProgressDisplayTests {
    /// Starts `yishi arguments` with its standard error on `terminal`.
    func start(_ arguments: [String], data: URL, on terminal: Terminal) throws -> (Process, Pipe) {
        let process = YishiBinary.configured(arguments, data: data, author: "测试员")
        let out = Pipe()
        process.standardOutput = out
        process.standardError = terminal.slave
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    /// A backup shows each stage with its share and rate; Ctrl+C in the middle of it stops
    /// at a safe point, says where it was and what was kept, leaves no `.partial`, and
    /// exits 130. Run again, it completes and the line is cleared before the summary.
    @Test func aBackupShowsWhereItIsAndStopsCleanlyOnCtrlC() throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01")
        try YishiBinary.ok(["debug", "bulk", "--count", "80000"], data: station)
        let backups = folder.path("backups")

        let terminal = try Terminal()
        let (process, out) = try start(["backup", "--to", backups.path], data: station, on: terminal)
        #expect(terminal.read(seconds: 30) { $0.contains("%") }, "no progress line: \(terminal.text)")
        kill(process.processIdentifier, SIGINT)
        terminal.read(seconds: 30) { $0.contains("已中断") && $0.contains("已删除") }
        process.waitUntilExit()
        let drawn = terminal.text
        #expect(process.terminationStatus == 130, "\(drawn)")
        #expect(drawn.contains("正在停止"))
        #expect(drawn.contains(#"已中断：“"#) && drawn.contains("没有留下不完整的备份"), "\(drawn)")
        #expect(out.fileHandleForReading.readDataToEndOfFile().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups.path).isEmpty)

        let again = try Terminal(columns: 120)
        let (second, secondOut) = try start(["backup", "--to", backups.path], data: station, on: again)
        let summary = String(decoding: secondOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        second.waitUntilExit()
        again.read(seconds: 2)
        #expect(second.terminationStatus == 0 && summary.contains("已备份到"), "\(again.text)")
        for stage in ["复制数据库", "复制日志", "计算校验值", "核对日志", "计算摘要"] {
            #expect(again.text.contains(stage), "stage \(stage) never shown: \(again.text)")
        }
        #expect(again.text.contains("80,000/80,000 条  100.0%"))
        #expect(again.text.hasSuffix("\r\u{1B}[K"), "the line is left on the screen: \(again.text.suffix(80))")
        // Never wider than the terminal, or the redraw in place would wrap.
        for line in again.text.components(separatedBy: "\r") where !line.isEmpty {
            #expect(line.count <= 120)
        }
    }

    /// Into a pipe or with --json, a long command draws nothing at all.
    @Test func nothingIsDrawnWhereNobodyWatches() throws {
        let folder = TemporaryDirectory()
        let station = try folder.station("HL3-01")
        try YishiBinary.ok(["debug", "bulk", "--count", "5000"], data: station)
        let piped = try YishiBinary.run(["rebuild"], data: station)
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped.stderr)")

        let terminal = try Terminal()
        let (process, out) = try start(["journal", "verify", "--json"], data: station, on: terminal)
        let json = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        terminal.read(seconds: 1)
        #expect(process.terminationStatus == 0 && terminal.text.isEmpty, "\(terminal.text)")
        #expect((try JSONSerialization.jsonObject(with: json) as? [String: Any])?["ok"] as? Bool == true)
    }

    /// The first sync after a long time offline shows the push against what is queued, and
    /// a new box made from the central shows the pull against what the central says is
    /// left. Ctrl+C lets the batch in hand finish, keeps every batch done, and the next
    /// sync continues from there.
    @Test func syncShowsPushAndPullAndCtrlCKeepsWhatCame() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let station = try folder.station("HL3-01", community: "HL3")
        try central.enroll(station, id: "HL3-01", community: "HL3")
        try YishiBinary.ok(["debug", "bulk", "--count", "40000"], data: station)
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }

        let terminal = try Terminal()
        let (process, _) = try start(["sync", "--once", "--central", server.url], data: station, on: terminal)
        #expect(terminal.read(seconds: 60) { $0.contains("上传修改  2,000/40,000 条") || $0.contains("上传修改  4,000/40,000 条") },
                "\(terminal.text)")
        kill(process.processIdentifier, SIGINT)
        terminal.read(seconds: 30) { $0.contains("下次同步会从这里接着做") }
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(terminal.text)")
        #expect(terminal.text.contains("已中断：已上传 "), "\(terminal.text)")
        let queued = try YishiBinary.ok(["status"], data: station)
        #expect(!queued.contains("待上传的修改：0 条") && !queued.contains("待上传的修改：40000 条"), "\(queued)")

        let rest = try Terminal()
        let (second, _) = try start(["sync", "--once", "--central", server.url], data: station, on: rest)
        rest.read(seconds: 120) { $0.contains("同步完成") || !second.isRunning }
        second.waitUntilExit()
        #expect(second.terminationStatus == 0, "\(rest.text)")
        #expect(try YishiBinary.ok(["status"], data: station).contains("待上传的修改：0 条"))

        let newBox = folder.path("HL3-02")
        let made = try YishiBinary.run(["init", "--station", "HL3-02", "--community", "HL3", "--from-central", server.url], data: newBox)
        #expect(made.stderr.contains("--central") || made.stderr.contains("登记"), "\(made.stderr)")
        try central.enroll(newBox, id: "HL3-02", community: "HL3")
        let pulling = try Terminal()
        let (initial, initialOut) = try start(["init", "--station", "HL3-02", "--community", "HL3", "--from-central", server.url],
                                              data: newBox, on: pulling)
        let said = String(decoding: initialOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        initial.waitUntilExit()
        pulling.read(seconds: 2)
        #expect(initial.terminationStatus == 0 && said.contains("从中心取回 40000 条修改"), "\(said) \(pulling.text)")
        #expect(pulling.text.contains("下载修改  40,000/40,000 条  100.0%"), "\(pulling.text)")
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: newBox) == central.digest("HL3"))
    }
}
