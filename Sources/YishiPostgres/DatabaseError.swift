import PostgresNIO
import YishiCentral
// The pool's own errors (the circuit breaker that trips while the server is down) are
// declared in PostgresNIO's pool module, which it offers as a product of its own.
import _ConnectionPoolModule

/// What can go wrong with the central's database, each with a message for the person who
/// runs the central (the log, the command line) or a station's operator (a 503's reason).
public enum DatabaseError: Error, Equatable, CustomStringConvertible {
    /// The address or the password's place is wrong: nothing was connected.
    case badLocation(String)
    /// The database holds a schema written by a newer yishi than this one.
    case newerSchema(found: Int, known: Int)
    /// A migration's target already holds a central.
    case notEmpty(String, ops: Int, stations: Int)

    public var description: String {
        switch self {
        case let .badLocation(text):
            return text
        case let .newerSchema(found, known):
            return "数据库的结构是第 \(found) 版，这个 yishi 只认识到第 \(known) 版：它是更新的 yishi 建的。请把这台机器上的 yishi 升级到同样的版本再启动。"
        case let .notEmpty(location, ops, stations):
            return "数据库 \(location) 里已经有一个中心（\(ops) 条修改、\(stations) 个站点），不能再迁入，什么也没有改动。请换一个新建的空数据库（createdb），或先确认这个库的内容不再需要。"
        }
    }

    /// The server does not answer, refuses the login or went away mid-transaction: a 503
    /// for a station, which sends the same request again later. Whether or not the
    /// transaction committed, what it carried can be sent again: storing is idempotent.
    static func unavailable(_ reason: String) -> CentralUnavailable {
        CentralUnavailable("中心的数据库现在连不上（\(reason)），这次请求没有完成。稍后再发一次即可，不会重复写入；站点会自动重试。")
    }

    /// A PostgresNIO error as one of ours: a server's or connection's failure becomes
    /// `CentralUnavailable` with the server's own words when it sent any; other errors pass.
    static func wrapping(_ error: any Error) -> any Error {
        if let failed = error as? PostgresTransactionError {
            // The transaction's own failure, whichever step it came from.
            guard let cause = failed.closureError ?? failed.beginError ?? failed.commitError else { return error }
            return wrapping(cause)
        }
        if error is DatabaseError || error is CentralUnavailable { return error }
        if let error = error as? ConnectionPoolError {
            // No connection could be made for a while: the server is down or unreachable.
            return error == .connectionCreationCircuitBreakerTripped ? unavailable("连接数据库服务器一再失败") : error
        }
        guard let error = error as? PSQLError else { return error }
        guard error.code == .server else {
            // Refused, reset, timed out, pool closing: the server or the way to it.
            return unavailable(String(describing: error.code))
        }
        // Connection (08), resources (53), operator intervention such as a shutdown or a
        // crash recovery (57), system (58) and login (28) are the server's state; any other
        // class is an error in our own SQL, a bug to show as it is.
        let state = error.serverInfo?[.sqlState] ?? ""
        guard ["08", "53", "57", "58", "28"].contains(where: state.hasPrefix) else { return error }
        return unavailable(error.serverInfo?[.message] ?? state)
    }
}
