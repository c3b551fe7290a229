/// YishiDesk: what both browser desks share — staff accounts and sessions, CSRF tokens,
/// form parsing, the page layout and its templates, charts — with no knowledge of the
/// deliberation loop itself.
import Crypto
import Foundation
import GRDB
import HummingbirdBcrypt

/// The staff accounts of one desk, in a SQLite file of their own beside the replica
/// (`staff.sqlite`). Accounts belong where they are used: they are never journaled,
/// exported or synced, so a station's passwords never leave its box.
public final class StaffDirectory: Sendable {
    public static let fileName = "staff.sqlite"

    /// bcrypt's cost: 2^11 rounds, about 0.1 s on a small box — slow for a guesser, quick
    /// enough for a person logging in.
    static let cost: UInt8 = 11
    /// After this many attempts in a row from one address that did not log in, the next
    /// must wait.
    static let freeAttempts = 3
    /// How long a session lasts from login: a working day with room to spare.
    static let sessionLifetime: TimeInterval = 12 * 3_600

    let queue: DatabaseQueue
    /// The roles this desk knows, in the order help texts list them.
    public let roles: [String]

    public init(file: URL, roles: [String]) throws {
        self.roles = roles
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: file.path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE staff (name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL) WITHOUT ROWID;
                -- Only a hash of each session token is kept: a copy of this file opens no session.
                CREATE TABLE session (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, csrf TEXT NOT NULL,
                    expires REAL NOT NULL) WITHOUT ROWID;
                CREATE TABLE login_failure (name TEXT PRIMARY KEY, count INTEGER NOT NULL,
                    last REAL NOT NULL) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-attempts-by-address") { db in
            // Failures counted per name let anyone keep a name locked out; per address, a
            // guesser waits and the person at their own desk does not.
            try db.execute(sql: """
                CREATE TABLE login_attempt (address TEXT PRIMARY KEY, count INTEGER NOT NULL, last REAL NOT NULL) WITHOUT ROWID;
                DROP TABLE login_failure;
                """)
        }
        try migrator.migrate(queue)
    }

    public func add(name: String, role: String, password: String, now: Date = Date()) throws {
        let (name, hash) = try Self.newAccount(name: name, role: role, password: password, roles: roles)
        try queue.write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM staff WHERE name = ?", arguments: [name]) == 0 else {
                throw Self.nameTaken(name)
            }
            try db.execute(sql: "INSERT INTO staff (name, role, password_hash, created) VALUES (?, ?, ?, ?)",
                           arguments: [name, role, hash, now.timeIntervalSince1970])
        }
    }

    /// Sets a new password (and enables a disabled account); ends the account's sessions.
    public func setPassword(name: String, password: String) throws {
        let hash = try Self.passwordHash(password)
        try queue.write { db in
            try db.execute(sql: "UPDATE staff SET password_hash = ?, disabled = 0 WHERE name = ?", arguments: [hash, name])
            guard db.changesCount == 1 else { throw Self.noSuchAccount(name) }
            try db.execute(sql: "DELETE FROM session WHERE name = ?", arguments: [name])
        }
    }

    /// Stops an account from logging in and ends its sessions; its name stays on every
    /// record it wrote.
    public func disable(name: String) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE staff SET disabled = 1 WHERE name = ?", arguments: [name])
            guard db.changesCount == 1 else { throw Self.noSuchAccount(name) }
            try db.execute(sql: "DELETE FROM session WHERE name = ?", arguments: [name])
        }
    }

    public struct Account: Sendable, Equatable {
        public var name: String
        public var role: String
        public var disabled: Bool

        public init(name: String, role: String, disabled: Bool) {
            self.name = name
            self.role = role
            self.disabled = disabled
        }
    }

    public func accounts() throws -> [Account] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, disabled FROM staff ORDER BY created, name").map {
                Account(name: $0[0], role: $0[1], disabled: $0[2])
            }
        }
    }

    /// Checks a name and password tried from `address`. On success returns a new session and
    /// its token (for the cookie). Every attempt is counted for its address before its
    /// password is checked, in one transaction with the check of whether it must wait: past
    /// `freeAttempts` in a row, the next waits, doubling each time up to 15 minutes, and a
    /// burst of tries at once waits like tries one after another. The count is the
    /// address's, not the name's: a guesser elsewhere cannot keep a person out.
    public func login(name: String, password: String, address: String, now: Date = Date()) throws -> (token: String, session: DeskSession) {
        try queue.write { db in
            let previous = try Row.fetchOne(db, sql: "SELECT count, last FROM login_attempt WHERE address = ?", arguments: [address])
            let next = try Self.claimAttempt(after: previous.map { ($0[0], $0[1]) }, now: now)
            try db.execute(sql: "INSERT OR REPLACE INTO login_attempt (address, count, last) VALUES (?, ?, ?)",
                           arguments: [address, next.count, next.last])
        }
        let account = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT role, password_hash, disabled FROM staff WHERE name = ?", arguments: [name])
        }
        let role = try Self.check(name: name, password: password, account: account.map { ($0[0], $0[1], $0[2]) }).get()
        let new = Self.newSession(name: name, role: role, now: now)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM login_attempt WHERE address = ?", arguments: [address])
            try db.execute(sql: "DELETE FROM session WHERE expires < ?", arguments: [now.timeIntervalSince1970])
            try db.execute(sql: "INSERT INTO session (token_hash, name, csrf, expires) VALUES (?, ?, ?, ?)",
                           arguments: [new.tokenHash, name, new.session.csrf, new.expires])
        }
        return (new.token, new.session)
    }

    /// Every account as stored, password hashes included: what a move of the central
    /// into a shared database copies (yishi central migrate).
    public func export() throws -> [(name: String, role: String, hash: String, disabled: Bool, created: Double)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, password_hash, disabled, created FROM staff ORDER BY created, name").map {
                ($0[0], $0[1], $0[2], $0[3], $0[4])
            }
        }
    }

    /// The session a cookie's token opens, if it is current and its account enabled.
    public func session(token: String, now: Date = Date()) throws -> DeskSession? {
        try queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT s.name, st.role, s.csrf FROM session s JOIN staff st ON st.name = s.name
                WHERE s.token_hash = ? AND s.expires > ? AND st.disabled = 0
                """, arguments: [Self.tokenHash(token), now.timeIntervalSince1970])
                .map { DeskSession(name: $0[0], role: $0[1], csrf: $0[2]) }
        }
    }

    public func logout(token: String) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [Self.tokenHash(token)])
        }
    }

    public static func wait(afterFailures count: Int) -> TimeInterval {
        guard count >= freeAttempts else { return 0 }
        return min(900, 5 * pow(2, Double(count - freeAttempts)))
    }

    public static func checkName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 32, !trimmed.contains(where: { $0.isNewline || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) else {
            throw DeskError("姓名应是 1 到 32 个字，不含换行或控制字符。")
        }
        return trimmed
    }

    public static func checkPassword(_ password: String) throws {
        guard password.count >= 8 else { throw DeskError("密码至少 8 个字符。") }
        // bcrypt reads at most 72 bytes: a longer password would silently lose its tail.
        guard password.utf8.count <= 72 else { throw DeskError("密码最长 72 个字节（约 24 个汉字或 72 个字母）。") }
    }

    public static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func randomHex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// A bcrypt hash of no password anyone has, made once, for names that do not exist.
    static let decoyHash = Bcrypt.hash(randomHex(16), cost: cost)
}

/// A logged-in person: the author of every op the desk writes for them.
public struct DeskSession: Sendable, Equatable {
    public var name: String
    public var role: String
    /// The token every form of this session carries (a forged cross-site form cannot know it).
    public var csrf: String

    public init(name: String, role: String, csrf: String) {
        self.name = name
        self.role = role
        self.csrf = csrf
    }
}
