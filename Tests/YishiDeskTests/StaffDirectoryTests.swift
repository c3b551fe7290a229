import Foundation
import GRDB
import Testing
import YishiTestSupport
@testable import YishiDesk

@Suite struct StaffDirectoryTests {
    let folder = TemporaryDirectory()

    func directory() throws -> StaffDirectory {
        try StaffDirectory(file: folder.path("staff.sqlite"), roles: ["社区工作者", "只读"])
    }

    @Test func passwordsAreSaltedBcryptAndCheck() throws {
        let staff = try directory()
        try staff.add(name: "王芳", role: "社区工作者", password: "mima12345")
        try staff.add(name: "李强", role: "只读", password: "mima12345")
        let hashes = try staff.queue.read { db in try String.fetchAll(db, sql: "SELECT password_hash FROM staff") }
        #expect(hashes.count == 2 && hashes[0] != hashes[1] && hashes.allSatisfy { $0.hasPrefix("$2b$11$") })
        let (token, session) = try staff.login(name: "王芳", password: "mima12345", address: "10.0.0.5")
        #expect(session.name == "王芳" && session.role == "社区工作者" && session.csrf.count == 64)
        #expect(try staff.session(token: token) == session)
        #expect(try staff.session(token: token + "0") == nil)
        // Only a hash of the token is stored: the file alone opens no session.
        let stored = try staff.queue.read { db in try String.fetchAll(db, sql: "SELECT token_hash FROM session") }
        #expect(!stored.contains(token))
    }

    @Test func refusesBadAccounts() throws {
        let staff = try directory()
        #expect(throws: DeskError.self) { try staff.add(name: "王芳", role: "站长", password: "mima12345") }
        #expect(throws: DeskError.self) { try staff.add(name: "王芳", role: "只读", password: "short") }
        #expect(throws: DeskError.self) { try staff.add(name: "", role: "只读", password: "mima12345") }
        #expect(throws: DeskError.self) { try staff.add(name: "王\u{1}芳", role: "只读", password: "mima12345") }
        try staff.add(name: "王芳", role: "只读", password: "mima12345")
        #expect(throws: DeskError.self) { try staff.add(name: "王芳", role: "只读", password: "mima12345") }
    }

    @Test func repeatedFailuresMakeTheNextTryFromThatAddressWait() throws {
        let staff = try directory()
        try staff.add(name: "王芳", role: "社区工作者", password: "mima12345")
        let start = Date(timeIntervalSince1970: 2_000_000_000)
        for _ in 0..<StaffDirectory.freeAttempts {
            #expect(throws: DeskError.self) { try staff.login(name: "王芳", password: "wrong-guess", address: "203.0.113.9", now: start) }
        }
        // Now even the right password must wait, from that address…
        do {
            _ = try staff.login(name: "王芳", password: "mima12345", address: "203.0.113.9", now: start.addingTimeInterval(1))
            Issue.record("a login right after three failures should wait")
        } catch let error as DeskError {
            #expect(error.message.contains("秒后再试"))
        }
        // …but not from her own desk: a guesser elsewhere cannot keep her out.
        _ = try staff.login(name: "王芳", password: "mima12345", address: "10.0.0.5", now: start.addingTimeInterval(1))
        // After the wait it works, and the count starts again.
        _ = try staff.login(name: "王芳", password: "mima12345", address: "203.0.113.9",
                            now: start.addingTimeInterval(StaffDirectory.wait(afterFailures: 3) + 1))
        #expect(StaffDirectory.wait(afterFailures: 10) > StaffDirectory.wait(afterFailures: 4))
        #expect(StaffDirectory.wait(afterFailures: 100) == 900)
    }

    /// Thirty tries at once from one address: each is counted before its password is
    /// checked, so no more than the free ones are judged, and the right password among the
    /// rest does not get in during the burst.
    @Test func aBurstOfTriesIsCountedAsTriesOneByOne() async throws {
        let staff = try directory()
        let start = Date(timeIntervalSince1970: 2_000_000_000)
        try staff.add(name: "王芳", role: "社区工作者", password: "mima12345", now: start)
        let outcomes = await withTaskGroup(of: String.self) { group in
            for index in 0..<30 {
                group.addTask {
                    do {
                        _ = try staff.login(name: "王芳", password: index == 29 ? "mima12345" : "wrong-guess", address: "203.0.113.9", now: start)
                        return "in"
                    } catch let error as DeskError {
                        return error.message.contains("秒后再试") ? "wait" : "wrong"
                    } catch {
                        return "error"
                    }
                }
            }
            var outcomes: [String] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.filter { $0 != "wait" }.count == StaffDirectory.freeAttempts, "\(outcomes)")
        #expect(outcomes.filter { $0 == "wait" }.count == 30 - StaffDirectory.freeAttempts)
    }

    @Test func disablingAndNewPasswordsEndSessions() throws {
        let staff = try directory()
        try staff.add(name: "王芳", role: "社区工作者", password: "mima12345")
        let (token, _) = try staff.login(name: "王芳", password: "mima12345", address: "10.0.0.5")
        try staff.disable(name: "王芳")
        #expect(try staff.session(token: token) == nil)
        #expect(throws: DeskError.self) { try staff.login(name: "王芳", password: "mima12345", address: "10.0.0.5") }
        try staff.setPassword(name: "王芳", password: "xinmima678")
        let (again, _) = try staff.login(name: "王芳", password: "xinmima678", address: "10.0.0.5")
        try staff.setPassword(name: "王芳", password: "xinmima999")
        #expect(try staff.session(token: again) == nil)
    }

    @Test func sessionsExpire() throws {
        let staff = try directory()
        try staff.add(name: "王芳", role: "社区工作者", password: "mima12345")
        let now = Date()
        let (token, _) = try staff.login(name: "王芳", password: "mima12345", address: "10.0.0.5", now: now)
        #expect(try staff.session(token: token, now: now.addingTimeInterval(StaffDirectory.sessionLifetime - 60)) != nil)
        #expect(try staff.session(token: token, now: now.addingTimeInterval(StaffDirectory.sessionLifetime + 1)) == nil)
    }
}
