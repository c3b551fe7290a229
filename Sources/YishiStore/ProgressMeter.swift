import Foundation

/// Shows a long command's progress where it is read: on a terminal, one line redrawn in
/// place about every half second (stage, done and total, rate, time left); under systemd,
/// one log line every ten seconds; with --json, into a pipe or into a file, nothing.
///
/// Ctrl+C (or SIGTERM) does not kill the work where it stands: it asks it to stop, and the
/// work stops at its next report (`ProgressReport` throws `StoreError.stopped`), unwinding
/// through its usual clean-up, so nothing is left half done. A second Ctrl+C exits at once
/// for the person who cannot wait.
public final class ProgressMeter: @unchecked Sendable {
    public enum Mode: Sendable, Equatable {
        case terminal, journal, silent
    }

    public let mode: Mode
    /// What stopping leaves behind, in the command's words: said when the person stops it.
    public let kept: String
    private let write: (String) -> Void
    private let clock: () -> Double
    private let width: () -> Int
    private let lock = NSLock()
    private var line = ProgressLine()
    private var latest: WorkProgress?
    private var startedAt: Double?
    private var drawnAt = -Double.infinity
    private var sampledAt = -Double.infinity
    private var drawn = false
    private var stopAsked = false
    private var signals: [DispatchSourceSignal] = []

    /// How often a line is drawn: twice a second on a terminal, every ten seconds in the journal.
    public static func interval(_ mode: Mode) -> Double { mode == .journal ? 10 : 0.5 }

    /// A meter for tests and benchmarks: everything it would write goes to `write`, and
    /// time is what `clock` says (seconds, any steady origin).
    public init(mode: Mode, kept: String, width: @escaping () -> Int = { 80 }, clock: @escaping () -> Double = ProgressMeter.seconds,
                write: @escaping (String) -> Void) {
        self.mode = mode
        self.kept = kept
        self.width = width
        self.clock = clock
        self.write = write
    }

    /// The meter a command uses: it draws on standard error as `mode(json:environment:)`
    /// decides, and takes over Ctrl+C and SIGTERM until `finish()`.
    public convenience init(json: Bool, kept: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(mode: Self.mode(json: json, environment: environment), kept: kept, width: Self.terminalWidth) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
        watchSignals()
    }

    /// Under systemd (its journal is this process's standard error, as JOURNAL_STREAM says)
    /// a line now and then; on a terminal, unless the command prints JSON, the live line;
    /// otherwise nothing, since a stream of carriage returns in a file or a pipe is noise.
    public static func mode(json: Bool, environment: [String: String], stderrIsTerminal: Bool = isatty(STDERR_FILENO) == 1,
                            stderrIdentity: String? = ProgressMeter.stderrIdentity()) -> Mode {
        if let stream = environment["JOURNAL_STREAM"], stream == stderrIdentity { return .journal }
        return stderrIsTerminal && !json ? .terminal : .silent
    }

    /// For the work: notes where it is, draws when a line is due, and throws
    /// `StoreError.stopped` once the person has asked it to stop.
    public var report: ProgressReport { { [self] progress in try note(progress) } }

    /// Whether the work should go on: for work that stops between batches by itself (a sync
    /// finishes the batch in hand).
    public var shouldContinue: Bool {
        lock.withLock { !stopAsked }
    }

    public func note(_ progress: WorkProgress) throws {
        try lock.withLock {
            show(progress)
            if stopAsked { throw StoreError.stopped }
        }
    }

    /// Asks the work to stop at its next report (what Ctrl+C does).
    public func requestStop() {
        lock.withLock {
            guard !stopAsked else { return }
            stopAsked = true
            endLine()
            write("正在停止：等当前这一步安全结束……（再按一次 Ctrl+C 立即退出）\n")
        }
    }

    /// Runs `work` under this meter; when it stopped because the person asked, says where
    /// it was and what was kept before passing the error on.
    public func run<T>(_ work: (@escaping ProgressReport) throws -> T) throws -> T {
        defer { finish() }
        do {
            return try work(report)
        } catch let error as StoreError where error.isStopped {
            lock.withLock {
                endLine()
                write(interruptedMessage() + "\n")
            }
            throw error
        }
    }

    /// `已中断：“复制日志”进行到 42.0%。…`
    public func interruptedMessage() -> String {
        let at = latest.map { progress in
            "“\(progress.stage)”进行到 " + (progress.total.map { $0 > 0 ? ProgressLine.percent(progress.done, $0) : "100.0%" }
                ?? ProgressLine.quantity(progress.done, progress.unit, withUnit: true))
        }
        return "已中断" + (at.map { "：\($0)" } ?? "") + "。" + kept
    }

    /// Ends the terminal line, so what the command prints next starts on its own, and gives
    /// Ctrl+C back.
    public func finish() {
        lock.withLock { endLine() }
        for source in signals { source.cancel() }
        for number in [SIGINT, SIGTERM] where !signals.isEmpty { signal(number, SIG_DFL) }
        signals = []
    }

    /// Called with the lock held.
    private func show(_ progress: WorkProgress) {
        let now = clock()
        if startedAt == nil { startedAt = now }
        // The rate's window needs a sample now and then, not one every thousand ops.
        if progress.stage != latest?.stage || now - sampledAt >= 0.1 {
            line.note(progress, at: now)
            sampledAt = now
        }
        latest = progress
        switch mode {
        case .silent:
            return
        case .terminal:
            // The end of a stage is drawn at once, so a finished stage never shows 97 %.
            guard now - drawnAt >= Self.interval(mode) || progress.done == progress.total else { return }
            let columns = max(20, width() - 1)
            let text = line.render(progress, width: columns)
            // Padded to the width, so a shorter line leaves nothing of the one before.
            write("\r" + text + String(repeating: " ", count: max(0, columns - ProgressLine.columns(text))))
            drawn = true
        case .journal:
            // A short run logs nothing; a long one a line every ten seconds.
            guard now - max(drawnAt, startedAt ?? now) >= Self.interval(mode) else { return }
            write(line.render(progress, width: 200) + "\n")
        }
        drawnAt = now
    }

    private func endLine() {
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    private func watchSignals() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                if shouldContinue {
                    requestStop()
                } else {
                    write("\n已立即退出。未完成的临时文件（.partial、.restoring、.rebuilding）会在下次对同一目标运行时清除。\n")
                    exit(130)
                }
            }
            source.resume()
            signals.append(source)
        }
    }

    public static func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// `device:inode` of standard error, as systemd writes JOURNAL_STREAM.
    public static func stderrIdentity() -> String? {
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return nil }
        return "\(info.st_dev):\(info.st_ino)"
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
    }
}
