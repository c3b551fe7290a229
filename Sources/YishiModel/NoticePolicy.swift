/// The public notice before a meeting (001 art. 10): posted at least `noticeDays` days
/// ahead, unless the meeting is urgent and says why; stakeholders may register to attend
/// while the notice is up.
public struct NoticePolicy: Sendable {
    public var noticeDays: Int

    public init(noticeDays: Int) { self.noticeDays = noticeDays }

    /// Checks a meeting scheduled at `posted` for `meeting`.
    public func check(posted: LocalDateTime, meeting: LocalDateTime, urgentReason: String?) throws(RuleViolation) {
        guard meeting > posted else {
            throw RuleViolation("会议时间 \(meeting) 已经过去（现在是 \(posted)），请检查日期。", field: "time")
        }
        let needed = Int64(noticeDays) * 86_400_000
        if meeting.milliseconds - posted.milliseconds >= needed { return }
        guard let reason = urgentReason?.trimmingWhitespace(), !reason.isEmpty else {
            let earliest = LocalDateTime(milliseconds: posted.milliseconds + needed)
            throw RuleViolation(
                "会议须提前 \(noticeDays) 天公示：今天公示，最早可安排在 \(earliest)。", field: "time",
                remedy: Remedy(commandLine: "确属紧急的，请加 --urgent \"紧急原因\" 写明原因，公示中会写明。",
                               desk: "确属紧急的，请在“紧急原因”一栏写明原因，公示中会写明。"))
        }
    }

    /// Registration is open from the notice until the meeting starts.
    public func checkRegistration(at time: LocalDateTime, posted: LocalDateTime, meeting: LocalDateTime) throws(RuleViolation) {
        guard time >= posted else { throw RuleViolation("会议公示 \(posted) 才开始，报名还没有开放。") }
        guard time < meeting else {
            throw RuleViolation("会议已于 \(meeting) 开始，公示期已过，不能再报名；可请主持人在会上登记列席。")
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
