import YishiDesk
import YishiMerge
import YishiModel
import YishiStore
import YishiSync

extension StationDesk {
    /// The line above every page: when the station last synced, how many edits wait to go
    /// up, whether the central answered, and the 立即同步 button. Built from escaped parts.
    func banner(_ session: DeskSession) throws -> String {
        let record = try SyncRecord.read(replica)
        let queued = try replica.outboxCount()
        let last = record.lastSuccess.map { WallTime(milliseconds: $0).beijingMinutes } ?? "从未同步"
        let reachable = record.lastSuccess == nil && !record.lastAttemptFailed
            ? "中心：尚未连接" : (record.lastAttemptFailed ? "中心：连不上（离线照常工作，修改会排队）" : "中心：可达")
        // Why, when it is not simply the network: a certificate needs a person to act.
        let why = record.lastAttemptFailed ? record.lastFailure : nil
        return """
            <div class="banner \(record.lastAttemptFailed ? "offline" : "ok")" role="region" aria-label="同步状态">\
            <span>上次成功同步：\(HTML.escape(last))</span><span>待上传的修改：\(queued) 条</span>\
            <span>\(HTML.escape(reachable))</span>\(why.map { "<span>\(HTML.escape($0))</span>" } ?? "")\
            <form method="post" action="/sync"><input type="hidden" name="_csrf" value="\(session.csrf)">\
            <button type="submit" class="secondary">立即同步</button></form></div>
            """
    }
}
