import Foundation
import Logging
import PostgresNIO
import YishiDesk

/// The office desk's accounts and sessions in the database every central process shares:
/// what staff.sqlite holds beside a single central, under StaffDirectory's rules (names,
/// passwords, bcrypt, throttling, session lifetime), so that a person logged in through
/// one process is logged in on all of them.
public struct PostgresAccountBook: AccountBook {
    let client: PostgresClient
    let logger: Logger
    public let roles: [String]

    public init(client: PostgresClient, logger: Logger, roles: [String]) {
        self.client = client
        self.logger = logger
        self.roles = roles
    }

    public func add(name: String, role: String, password: String) async throws {
        let (name, hash) = try StaffDirectory.newAccount(name: name, role: role, password: password, roles: roles)
        let created = Date().timeIntervalSince1970
        let inserted = try await database {
            try await count(client.query("""
                INSERT INTO staff (name, role, password_hash, created) VALUES (\(name), \(role), \(hash), \(created))
                ON CONFLICT (name) DO NOTHING RETURNING name
                """, logger: logger))
        }
        guard inserted == 1 else { throw StaffDirectory.nameTaken(name) }
    }

    public func setPassword(name: String, password: String) async throws {
        let hash = try StaffDirectory.passwordHash(password)
        let changed = try await database {
            try await client.withTransaction(logger: logger) { connection in
                let changed = try await count(connection.query(
                    "UPDATE staff SET password_hash = \(hash), disabled = false WHERE name = \(name) RETURNING name", logger: logger))
                try await connection.query("DELETE FROM staff_session WHERE name = \(name)", logger: logger)
                return changed
            }
        }
        guard changed == 1 else { throw StaffDirectory.noSuchAccount(name) }
    }

    public func disable(name: String) async throws {
        let changed = try await database {
            try await client.withTransaction(logger: logger) { connection in
                let changed = try await count(connection.query("UPDATE staff SET disabled = true WHERE name = \(name) RETURNING name",
                                                               logger: logger))
                try await connection.query("DELETE FROM staff_session WHERE name = \(name)", logger: logger)
                return changed
            }
        }
        guard changed == 1 else { throw StaffDirectory.noSuchAccount(name) }
    }

    public func accounts() async throws -> [StaffDirectory.Account] {
        try await database {
            var accounts: [StaffDirectory.Account] = []
            for try await (name, role, disabled) in try await client.query(
                "SELECT name, role, disabled FROM staff ORDER BY created, name", logger: logger).decode((String, String, Bool).self) {
                accounts.append(StaffDirectory.Account(name: name, role: role, disabled: disabled))
            }
            return accounts
        }
    }

    public func login(name: String, password: String, address: String) async throws -> (token: String, session: DeskSession) {
        let now = Date()
        // The attempt is counted for its address before the password is checked, under the
        // row's lock: a burst through several processes at once waits as tries one by one do.
        try await database {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("INSERT INTO login_attempt (address, count, last) VALUES (\(address), 0, 0) ON CONFLICT DO NOTHING",
                                           logger: logger)
                var previous: (count: Int, last: Double)?
                for try await row in try await connection.query("SELECT count, last FROM login_attempt WHERE address = \(address) FOR UPDATE",
                                                                  logger: logger).decode((Int, Double).self) where row.0 > 0 {
                    previous = row
                }
                let next = try StaffDirectory.claimAttempt(after: previous, now: now)
                try await connection.query("UPDATE login_attempt SET count = \(next.count), last = \(next.last) WHERE address = \(address)",
                                           logger: logger)
            }
        }
        let account = try await database {
            var account: (role: String, hash: String, disabled: Bool)?
            for try await row in try await client.query("SELECT role, password_hash, disabled FROM staff WHERE name = \(name)", logger: logger)
                .decode((String, String, Bool).self) { account = row }
            return account
        }
        // bcrypt takes about 0.1 s of a core: off the cooperative pool, as at a station.
        let role = try await offloadedDesk { StaffDirectory.check(name: name, password: password, account: account) }.get()
        let stamp = now.timeIntervalSince1970
        let new = StaffDirectory.newSession(name: name, role: role, now: now)
        try await database {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("DELETE FROM login_attempt WHERE address = \(address)", logger: logger)
                try await connection.query("DELETE FROM staff_session WHERE expires < \(stamp)", logger: logger)
                try await connection.query("""
                    INSERT INTO staff_session (token_hash, name, csrf, expires) VALUES (\(new.tokenHash), \(name), \(new.session.csrf), \(new.expires))
                    """, logger: logger)
            }
        }
        return (new.token, new.session)
    }

    public func session(token: String) async throws -> DeskSession? {
        let hash = StaffDirectory.tokenHash(token)
        let now = Date().timeIntervalSince1970
        return try await database {
            for try await (name, role, csrf) in try await client.query("""
                SELECT s.name, st.role, s.csrf FROM staff_session s JOIN staff st ON st.name = s.name
                WHERE s.token_hash = \(hash) AND s.expires > \(now) AND NOT st.disabled
                """, logger: logger).decode((String, String, String).self) {
                return DeskSession(name: name, role: role, csrf: csrf)
            }
            return nil
        }
    }

    public func logout(token: String) async throws {
        let hash = StaffDirectory.tokenHash(token)
        try await database { try await client.query("DELETE FROM staff_session WHERE token_hash = \(hash)", logger: logger) }
    }

    /// Copies accounts as stored (their hashes too) into an empty table: the move of a
    /// single central (CentralMigration).
    static func copy(_ accounts: [(name: String, role: String, hash: String, disabled: Bool, created: Double)],
                     _ connection: PostgresConnection, logger: Logger) async throws {
        for account in accounts {
            try await connection.query("""
                INSERT INTO staff (name, role, password_hash, disabled, created)
                VALUES (\(account.name), \(account.role), \(account.hash), \(account.disabled), \(account.created))
                """, logger: logger)
        }
    }

    private func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}
