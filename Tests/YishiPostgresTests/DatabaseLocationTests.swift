import Foundation
import Testing
import YishiPostgres

/// Reading `database = "postgresql://…"`: what a central accepts, and what it refuses
/// with a message that says what to write instead. No server is involved.
struct DatabaseLocationTests {
    @Test func readsTheAddressAnAdministratorWrites() throws {
        let location = try DatabaseLocation("postgresql://yishi@db.jiedao.lan:6432/yishi_central?sslmode=require")
        #expect(location.user == "yishi")
        #expect(location.host == "db.jiedao.lan")
        #expect(location.port == 6432)
        #expect(location.database == "yishi_central")
        #expect(location.tls == .require)
        #expect(location.description == "postgresql://yishi@db.jiedao.lan:6432/yishi_central?sslmode=require")

        let plain = try DatabaseLocation("postgres://central@[::1]/yishi")
        #expect(plain.host == "::1")
        #expect(plain.port == 5432)
        #expect(plain.tls == .prefer)
        #expect(plain.description == "postgresql://central@[::1]:5432/yishi")

        let verified = try DatabaseLocation("postgresql://yishi@db:5432/yishi?sslmode=verify-full&sslrootcert=/etc/yishi/db-ca.pem")
        #expect(verified.tls == .verifyFull)
        #expect(verified.rootCertificate == "/etc/yishi/db-ca.pem")
    }

    @Test(arguments: [
        ("postgresql://yishi:secret@db:5432/yishi", "不能写密码"),
        ("mysql://yishi@db/yishi", "不是 PostgreSQL 的地址"),
        ("postgresql://db:5432/yishi", "缺少用户名"),
        ("postgresql://yishi@db:5432", "缺少数据库名"),
        ("postgresql://yishi@db:5432/yishi?sslmode=always", "sslmode 只能是"),
        ("postgresql://yishi@db/yishi?sslrootcert=/ca.pem", "sslmode=verify-full"),
        ("postgresql://yishi@db/yishi?password=x", "不认识"),
    ])
    func refusesWithAReason(text: String, reason: String) {
        do {
            _ = try DatabaseLocation(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(String(describing: error).contains(reason), "\(error)")
            // A refused address that held a password never echoes it.
            #expect(!String(describing: error).contains("secret"))
        }
    }

    @Test func thePasswordComesFromAFileOrTheEnvironment() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-pw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("password").path
        try "s3cret-数据库\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try DatabasePassword.read(file: file, environment: [DatabasePassword.environmentName: "other"]) == "s3cret-数据库")
        #expect(try DatabasePassword.read(file: nil, environment: [DatabasePassword.environmentName: "other"]) == "other")
        #expect(try DatabasePassword.read(file: nil, environment: [:]) == nil)
        #expect(throws: DatabaseError.self) { try DatabasePassword.read(file: folder.appendingPathComponent("missing").path) }
    }
}
