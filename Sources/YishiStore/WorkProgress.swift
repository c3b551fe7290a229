/// Where a long piece of work has got (verifying a journal, rebuilding, a backup, a
/// restore, an import, a sync after weeks offline), as the work reports it: which stage,
/// how much of how much, in the unit people understand. Whoever runs the work decides how
/// to show it (a line on a terminal, a line in the journal every ten seconds, nothing).
public struct WorkProgress: Sendable, Equatable {
    public enum Unit: Sendable, Equatable {
        /// Ops (修改), counted one by one.
        case ops
        /// Bytes, shown in MB.
        case bytes
        /// Fields of records (项), as a digest reads them.
        case fields
    }

    /// What is being done, in a few words: `核对日志`, `复制日志`, `比对摘要`.
    public var stage: String
    public var done: Int64
    /// Nil when the end is not known ahead (a sync pulls until the central says no more).
    public var total: Int64?
    public var unit: Unit

    public init(_ stage: String, done: Int64, total: Int64?, unit: Unit = .ops) {
        self.stage = stage
        self.done = done
        self.total = total
        self.unit = unit
    }

    /// The same progress under another stage name: a step reused in a larger piece of work
    /// (a digest inside a rebuild) says which of its uses this is.
    public func named(_ stage: String) -> WorkProgress {
        var renamed = self
        renamed.stage = stage
        return renamed
    }
}

/// Receives progress; called often (every thousand ops), so it must be cheap: the meter
/// behind it only looks at the clock and draws at most twice a second.
///
/// It throws (`StoreError.stopped`) when the person asked the work to stop: the work is
/// then only ever stopped where it reports, never in the middle of a rename, and the error
/// unwinds through the same clean-up as any failure (the transaction rolls back, the
/// `.partial` copy is removed), so stopping leaves nothing half done.
public typealias ProgressReport = (WorkProgress) throws -> Void

/// The line a progress meter draws, from the stage and the recent past, as pure arithmetic
/// so it is tested with a given clock and width: the rate and the time left come from a
/// window of recent samples, so a slow start (opening files, a cold page cache) does not
/// skew the estimate for the rest of the run.
public struct ProgressLine: Sendable {
    struct Sample: Sendable, Equatable {
        var seconds: Double
        var done: Int64
    }

    /// How far back the rate looks.
    public let window: Double
    private var samples: [Sample] = []
    private var stage = ""

    public init(window: Double = 5) { self.window = window }

    /// Notes where the work is at `seconds` (any steady clock). A new stage starts afresh.
    public mutating func note(_ progress: WorkProgress, at seconds: Double) {
        if progress.stage != stage {
            stage = progress.stage
            samples.removeAll()
        }
        samples.append(Sample(seconds: seconds, done: progress.done))
        // Keep the last sample older than the window as the rate's starting point.
        while samples.count > 2, samples[1].seconds <= seconds - window { samples.removeFirst() }
    }

    /// Units a second over the window, once there is something to measure.
    public var rate: Double? {
        guard let first = samples.first, let last = samples.last, last.seconds - first.seconds >= 0.2, last.done > first.done else { return nil }
        return Double(last.done - first.done) / (last.seconds - first.seconds)
    }

    /// The line for `progress`, at most `width` terminal columns (a Chinese character takes
    /// two): the stage, done and total, the share, the rate and the time left; when it does
    /// not fit, the rate goes first, then the share, then the stage.
    public func render(_ progress: WorkProgress, width: Int) -> String {
        let amount: String
        if let total = progress.total {
            amount = "\(Self.quantity(progress.done, progress.unit, withUnit: false))/\(Self.quantity(total, progress.unit, withUnit: true))"
        } else if progress.done == 0 {
            // A stage that cannot count (waiting for the central's first answer).
            amount = "……"
        } else {
            amount = Self.quantity(progress.done, progress.unit, withUnit: true)
        }
        let share = progress.total.flatMap { total in total > 0 ? Self.percent(progress.done, total) : nil }
        let speed = rate.map { "\(Self.quantity(Int64($0.rounded()), progress.unit, withUnit: true))/秒" }
        let left = progress.total.flatMap { total in
            total > progress.done ? rate.map { "剩余 \(Self.duration(Double(total - progress.done) / $0))" } : nil
        }
        let choices: [[String?]] = [[progress.stage, amount, share, speed, left], [progress.stage, amount, share, left],
                                    [progress.stage, amount, left], [progress.stage, amount]]
        for parts in choices {
            let line = parts.compactMap { $0 }.joined(separator: "  ")
            if Self.columns(line) <= width { return line }
        }
        // Too narrow for even that: the numbers alone, cut at the edge.
        var line = ""
        for character in amount where Self.columns(line + String(character)) <= width { line.append(character) }
        return line
    }

    /// `3,278,000 条`, `812.4 MB`.
    public static func quantity(_ value: Int64, _ unit: WorkProgress.Unit, withUnit: Bool) -> String {
        switch unit {
        case .ops: return grouped(value) + (withUnit ? " 条" : "")
        case .fields: return grouped(value) + (withUnit ? " 项" : "")
        case .bytes:
            let tenths = (value * 10 + 524_288) / 1_048_576
            return "\(grouped(tenths / 10)).\(tenths % 10)" + (withUnit ? " MB" : "")
        }
    }

    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    public static func percent(_ done: Int64, _ total: Int64) -> String {
        let tenths = min(1000, done * 1000 / total)
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// `0:32`, `12:05`, `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(rest))" : "\(minutes):\(two(rest))"
    }

    /// Terminal columns: East Asian wide characters take two.
    public static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { count, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
                || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || (0x20000...0x3FFFD).contains(value)
            return count + (wide ? 2 : 1)
        }
    }
}
