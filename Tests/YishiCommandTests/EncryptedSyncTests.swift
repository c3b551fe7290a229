import Foundation
import Testing
import YishiCentral
import YishiTestSupport

/// Sync over HTTPS served by the central itself, with the office's private CA made by
/// `yishi central tls init`; and every way a station refuses to send residents' records
/// where it should not: an untrusted, mismatched or expired certificate, or plain HTTP to
/// another machine. Real processes on loopback.
@Suite(.serialized) struct EncryptedSyncTests {
    let folder = TemporaryDirectory()

    /// A central with a certificate from `tls init --name …`, serving HTTPS.
    func tlsCentral(_ name: String, names: [String]) throws -> (central: CentralUnderTest, files: CentralCertificates.Files, output: String) {
        let central = try CentralUnderTest(folder.path(name))
        let output = try YishiBinary.ok(["central", "tls", "init"] + names.flatMap { ["--name", $0] }, data: central.data)
        return (central, CentralCertificates.files(in: central.data), output)
    }

    func serve(_ central: CentralUnderTest, _ files: CentralCertificates.Files) throws -> CentralProcess {
        try CentralProcess(data: central.data, arguments: ["--tls-certificate", files.certificate.path, "--tls-key", files.key.path])
    }

    func sync(_ station: URL, _ url: String, ca: URL?) throws -> YishiBinary.Result {
        try YishiBinary.run(["sync", "--once", "--central", url] + (ca.map { ["--ca-file", $0.path] } ?? []), data: station)
    }

    @Test func stationsSyncOverHTTPSWithTheOfficesOwnCA() throws {
        let (central, files, output) = try tlsCentral("central", names: ["localhost", "127.0.0.1", "::1"])
        #expect(output.contains("tls_certificate = \"\(files.certificate.path)\"") && output.contains("tls_key = \"\(files.key.path)\""))
        #expect(output.contains("ca_file"))
        for secret in [files.key, files.caKey] {
            let mode = try FileManager.default.attributesOfItem(atPath: secret.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(secret.lastPathComponent)")
        }
        var a = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let b = try StationUnderTest(folder, "HL3-02", community: "HL3", now: "2026-11-02 09:00")
        try central.enroll(a.data, id: "HL3-01", community: "HL3")
        try central.enroll(b.data, id: "HL3-02", community: "HL3")
        let server = try serve(central, files)
        defer { server.stop() }
        #expect(server.url.hasPrefix("https://"))
        let port = server.url.split(separator: ":").last!

        let topic = try a.value("topic", "topic", "raise", "--title", "北门门禁", "--channel", "说事点")
        let pushed = try sync(a.data, server.url, ca: files.ca)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        // By host name too, as the certificate names it.
        let pulled = try sync(b.data, "https://localhost:\(port)", ca: files.ca)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(try b.ok("topic", "show", topic).contains("北门门禁"))
        #expect(try YishiBinary.ok(["digest", "--scope", "HL3"], data: b.data) == central.digest("HL3"))
        #expect(try a.ok("status").contains("中心：可达"))

        // Plain HTTP to the HTTPS port gets no answer the station could mistake for one.
        a.now = "2026-11-02 10:00"
        try a.ok("topic", "edit", topic, "--title", "北门门禁改造")
        #expect(try sync(a.data, "http://127.0.0.1:\(port)", ca: nil).status != 0)
        #expect(try a.ok("status").contains("待上传的修改：1 条"))
    }

    @Test func untrustedMismatchedAndExpiredCertificatesAreRefusedAndShown() throws {
        let (central, files, _) = try tlsCentral("central", names: ["127.0.0.1"])
        let (_, otherFiles, _) = try tlsCentral("other", names: ["127.0.0.1"])
        let a = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        try central.enroll(a.data, id: "HL3-01", community: "HL3")
        try a.ok("topic", "raise", "--title", "北门门禁", "--channel", "说事点")
        let waiting = try a.ok("status").split(separator: "\n").first { $0.contains("待上传的修改") }.map(String.init) ?? "?"
        var server = try serve(central, files)

        // The system's CAs, and another office's: neither vouches for this central.
        for ca in [nil, otherFiles.ca] {
            let refused = try sync(a.data, server.url, ca: ca)
            #expect(refused.status != 0 && refused.stderr.contains("不是由站点信任的 CA 签发的"), "\(refused.stderr)")
        }
        let status = try a.ok("status")
        #expect(status.contains("上次连接失败：中心的证书验证失败") && status.contains(waiting), "\(status)")
        #expect(try CentralUnderTest.digestIsEmpty(central, "HL3"))
        server.stop()

        // A certificate for another name than the station uses.
        let (mismatched, mismatchedFiles, _) = try tlsCentral("mismatched", names: ["yishi.jiedao.example"])
        server = try serve(mismatched, mismatchedFiles)
        let wrongName = try sync(a.data, server.url, ca: mismatchedFiles.ca)
        #expect(wrongName.stderr.contains("证书上的名称与中心地址不符"), "\(wrongName.stderr)")
        server.stop()

        // An expired one (made three years ago for one year).
        let expired = try CentralUnderTest(folder.path("expired"))
        let expiredFiles = try CentralCertificates.initialize(in: expired.data, names: ["127.0.0.1"],
                                                               now: Date().addingTimeInterval(-3 * 365 * 86_400), years: 1)
        server = try serve(expired, expiredFiles)
        defer { server.stop() }
        let old = try sync(a.data, server.url, ca: expiredFiles.ca)
        #expect(old.stderr.contains("证书已过期"), "\(old.stderr)")
        #expect(try a.ok("status").contains(waiting))
    }

    /// The office desk's 站点 page shows the certificate the central serves: the names it is
    /// for, its issuer, when it expires (with a warning near the end), its fingerprint.
    @Test func theServedCertificateIsSummarisedForTheStationsPage() throws {
        let folder = TemporaryDirectory()
        let now = Date()
        let files = try CentralCertificates.initialize(in: folder.path("central"), names: ["yishi.jiedao.local", "10.0.0.5"], now: now)
        let summary = Dictionary(uniqueKeysWithValues: try #require(CentralCertificates.summary(ofCertificateAt: files.certificate.path)))
        #expect(summary["适用的地址"] == "yishi.jiedao.local、10.0.0.5")
        #expect(summary["有效期至"]?.hasPrefix(String(Calendar.current.component(.year, from: now) + 10)) == true)
        #expect(summary["SHA-256 指纹"]?.count == 95)
        let soon = try CentralCertificates.initialize(in: folder.path("soon"), names: ["127.0.0.1"], now: now.addingTimeInterval(-86_400 * 365.25 * 10 + 86_400 * 30))
        #expect(try #require(CentralCertificates.summary(ofCertificateAt: soon.certificate.path)).contains { $0.1.contains("请用 yishi central tls init 换发") })
        #expect(CentralCertificates.summary(ofCertificateAt: folder.path("central").appendingPathComponent("nothing.pem").path) == nil)
    }

    @Test func plainHTTPGoesOnlyToThisBoxUnlessTheConfigSaysSo() throws {
        let a = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-11-02 09:00")
        let refused = try YishiBinary.run(["sync", "--once", "--central", "http://10.0.0.5:8080"], data: a.data)
        #expect(refused.status != 0 && refused.stderr.contains("不加密的 http://") && refused.stderr.contains("allow_plain_http"),
                "\(refused.stderr)")
        // Refused before any connection: nothing recorded as a failed attempt.
        #expect(!(try a.ok("status").contains("上次连接失败")))

        let config = folder.path("station.toml")
        func start(_ lines: String) throws -> YishiBinary.Result {
            try Data("data = \"\(a.data.path)\"\n\(lines)\n".utf8).write(to: config)
            return try YishiBinary.run(["station", "run", "--config", config.path])
        }
        let daemon = try start("central = \"http://10.0.0.5:8080\"")
        #expect(daemon.status != 0 && daemon.stderr.contains("不加密的 http://"), "\(daemon.stderr)")
        let badValue = try start("central = \"http://10.0.0.5:8080\"\nallow_plain_http = yes")
        #expect(badValue.status != 0 && badValue.stderr.contains("allow_plain_http 应写 true 或 false"), "\(badValue.stderr)")
    }
}

extension CentralUnderTest {
    /// Whether the central holds nothing of `scope` yet (no op of it arrived).
    static func digestIsEmpty(_ central: CentralUnderTest, _ scope: String) throws -> Bool {
        let empty = try CentralUnderTest(FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: empty.data) }
        return try central.digest(scope) == empty.digest(scope)
    }
}
