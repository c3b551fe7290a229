import Foundation
import HummingbirdBcrypt

/// Where a desk's accounts and sessions are kept: a SQLite file beside the replica
/// (`StaffDirectory`), or the database that several central processes share, so that a
/// person who logged in through one process is logged in on all of them (YishiPostgres).
/// The rules (names, passwords, the bcrypt cost, throttling, session lifetime) are
/// `StaffDirectory`'s static functions, which every book calls.
public protocol AccountBook: Sendable {
    /// The roles this desk knows, in the order help texts list them.
    var roles: [String] { get }
    func add(name: String, role: String, password: String) async throws
    /// Sets a new password (and enables a disabled account); ends the account's sessions.
    func setPassword(name: String, password: String) async throws
    /// Stops an account from logging in and ends its sessions.
    func disable(name: String) async throws
    func accounts() async throws -> [StaffDirectory.Account]
    /// A new session and its token for a right name and password tried from `address`
    /// (StaffDirectory.login's rules).
    func login(name: String, password: String, address: String) async throws -> (token: String, session: DeskSession)
    /// The session a cookie's token opens, if it is current and its account enabled.
    func session(token: String) async throws -> DeskSession?
    func logout(token: String) async throws
}

/// The rules of accounts, the same for every book.
extension StaffDirectory {
    /// A new account's name, checked and trimmed, and its password's hash.
    public static func newAccount(name: String, role: String, password: String, roles: [String]) throws -> (name: String, hash: String) {
        let name = try checkName(name)
        guard roles.contains(role) else { throw DeskError("角色“\(role)”不存在；可选：\(roles.joined(separator: "、"))。") }
        return (name, try passwordHash(password))
    }

    public static func passwordHash(_ password: String) throws -> String {
        try checkPassword(password)
        return Bcrypt.hash(password, cost: cost)
    }

    public static func nameTaken(_ name: String) -> DeskError {
        DeskError("已有名为“\(name)”的账号。改密码请用 yishi user passwd，停用请用 yishi user disable。")
    }

    public static func noSuchAccount(_ name: String) -> DeskError { DeskError("没有名为“\(name)”的账号。") }

    /// An attempt from an address that has made `previous` attempts in a row without
    /// logging in: refused while it must wait (past `freeAttempts`, each wait twice the last,
    /// up to 15 minutes), else counted. The caller stores the count in the same transaction
    /// as it read the previous one.
    public static func claimAttempt(after previous: (count: Int, last: Double)?, now: Date) throws -> (count: Int, last: Double) {
        if let previous {
            let wait = Self.wait(afterFailures: previous.count) - (now.timeIntervalSince1970 - previous.last)
            if wait > 0 { throw DeskError("这台电脑登录失败的次数过多，请 \(Int(wait.rounded(.up))) 秒后再试。", field: "password") }
        }
        return ((previous?.count ?? 0) + 1, now.timeIntervalSince1970)
    }

    /// Password checks running at once: bcrypt takes a core for about 0.1 s, and a burst of
    /// logins must leave the server cores for everything else.
    static let passwordChecks = DispatchSemaphore(value: 2)

    /// What a login attempt comes to: the account's role, or the refusal (to be counted
    /// as a failure for the name). A name that does not exist costs the same time as a
    /// wrong password, so the answer's speed does not tell which names exist.
    public static func check(name: String, password: String, account: (role: String, hash: String, disabled: Bool)?)
        -> Result<String, DeskError>
    {
        passwordChecks.wait()
        let matches = Bcrypt.verify(password, hash: account?.hash ?? decoyHash)
        passwordChecks.signal()
        guard let account, matches, !account.disabled else {
            if let account, matches, account.disabled { return .failure(DeskError("账号“\(name)”已停用，请联系管理员。", field: "name")) }
            return .failure(DeskError("姓名或密码不对，请重新输入。", field: "password"))
        }
        return .success(account.role)
    }

    /// A new session: the cookie's token (only its hash is stored) and the form token.
    public static func newSession(name: String, role: String, now: Date)
        -> (token: String, tokenHash: String, session: DeskSession, expires: Double)
    {
        let token = randomHex(32)
        return (token, tokenHash(token), DeskSession(name: name, role: role, csrf: randomHex(32)), now.timeIntervalSince1970 + sessionLifetime)
    }
}

extension StaffDirectory: AccountBook {
    public func add(name: String, role: String, password: String) async throws {
        try add(name: name, role: role, password: password, now: Date())
    }

    public func login(name: String, password: String, address: String) async throws -> (token: String, session: DeskSession) {
        try await offloadedDesk { try self.login(name: name, password: password, address: address, now: Date()) }
    }

    public func session(token: String) async throws -> DeskSession? {
        try session(token: token, now: Date())
    }
}
