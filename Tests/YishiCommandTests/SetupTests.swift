import Foundation
import Testing
import YishiTestSupport

/// `yishi setup station | central` answered from standard input, as a script setting up
/// twenty boxes would; `yishi --version`; and a daemon that cannot start because the box
/// is not set up. (The package's own run of setup, as root on a bare Debian, is in
/// Tests/package.)
@Suite struct SetupTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The config the package installs: the repository's, commented.
    static func packagedConfig(_ name: String, in folder: TemporaryDirectory) throws -> URL {
        let file = folder.path(name)
        try FileManager.default.copyItem(at: repository.appendingPathComponent("Config/\(name)"), to: file)
        return file
    }

    /// Root (CI) sets up for itself here: the `yishi` user exists only where the package is installed.
    static let asUser = geteuid() == 0 ? ["--user", "root"] : []

    static func setup(_ kind: String, config: URL, data: URL, answers: String) throws -> YishiBinary.Result {
        try YishiBinary.run(["setup", kind, "--config", config.path, "--data", data.path] + asUser, stdin: answers)
    }

    @Test func aStationIsSetUpFromAnswersAndTheLineItPrintsEnrollsIt() throws {
        let folder = TemporaryDirectory()
        let config = try Self.packagedConfig("station.toml", in: folder)
        let data = folder.path("station")
        let central = try CentralUnderTest(folder.path("central"))
        let street = try central.streetKey
        let result = try Self.setup("station", config: config, data: data,
                                    answers: "HL3-01\nHL3\n哈量三社区\nhttp://127.0.0.1:8080\n\(street)\n127.0.0.1:8611\n王芳\nmima-2026-ok\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sudo systemctl enable --now yishi-station"))
        #expect(result.stdout.contains("http://127.0.0.1:8611/"))

        // The package's comments stay; the answers are in; what was not asked stays commented.
        let text = try String(contentsOf: config, encoding: .utf8)
        #expect(text.contains("data = \"\(data.path)\"") && text.contains("central = \"http://127.0.0.1:8080\""))
        #expect(text.contains("desk_listen = \"127.0.0.1:8611\"") && text.contains("# ca_file = "))
        #expect(text.contains("# 连接超时、整次请求超时（秒）"))
        #expect(try String(contentsOf: data.appendingPathComponent("rules.toml"), encoding: .utf8).contains("community_name = \"哈量三社区\""))
        #expect(try YishiBinary.ok(["user", "list"], data: data).contains("王芳  社区工作者"))
        #expect(try YishiBinary.ok(["trust"], data: data).contains("街道公钥：\(street)"))

        // The enroll line, word for word, at the office.
        let line = try #require(result.stdout.components(separatedBy: "\n").first { $0.contains("sudo yishi central enroll") })
        let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ").dropFirst(2).map(String.init)
        #expect(try YishiBinary.run(words, data: central.data).status == 0)
        #expect(try YishiBinary.ok(["central", "stations"], data: central.data).contains("HL3-01  社区 HL3"))

        // Once set up, setup says so and changes nothing.
        let again = try Self.setup("station", config: config, data: data, answers: "HL3-02\n")
        #expect(again.status == 1 && again.stderr.contains("已经设置过") && again.stderr.contains("yishi central enroll --station HL3-01"))
    }

    @Test func aWrongAnswerStopsTheSetupAndWritesNothing() throws {
        let folder = TemporaryDirectory()
        let config = try Self.packagedConfig("station.toml", in: folder)
        let before = try Data(contentsOf: config)
        let data = folder.path("station")
        let plain = try Self.setup("station", config: config, data: data, answers: "HL3-01\nHL3\n\nhttp://10.0.0.5:8080\n")
        #expect(plain.status == 1 && plain.stderr.contains("不加密的 http://"))
        let missingCA = try Self.setup("station", config: config, data: data,
                                       answers: "HL3-01\nHL3\n\nhttps://yishi.jiedao.local:8443\n/nowhere/ca.pem\n")
        #expect(missingCA.status == 1 && missingCA.stderr.contains("找不到文件 /nowhere/ca.pem"))
        let shortPassword = try Self.setup("station", config: config, data: data,
                                           answers: "HL3-01\nHL3\n\nhttp://127.0.0.1:8080\n\n\n王芳\nshort\n")
        #expect(shortPassword.status == 1 && shortPassword.stderr.contains("密码至少 8 个字符"))
        let notAKey = try Self.setup("station", config: config, data: data, answers: "HL3-01\nHL3\n\nhttp://127.0.0.1:8080\n街道的钥匙\n")
        #expect(notAKey.status == 1 && notAKey.stderr.contains("这不是一把公钥"), "\(notAKey.stderr)")
        let cutShort = try Self.setup("station", config: config, data: data, answers: "HL3-01\n")
        #expect(cutShort.status == 1 && cutShort.stderr.contains("没有读到“社区编号"))
        #expect(try Data(contentsOf: config) == before)
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }

    @Test func theCentralIsSetUpWithItsCertificateAndFirstAdministrator() throws {
        let folder = TemporaryDirectory()
        let config = try Self.packagedConfig("central.toml", in: folder)
        let data = folder.path("central")
        let port = freePort()
        let result = try Self.setup("central", config: config, data: data, answers: "127.0.0.1 localhost\n127.0.0.1\n\(port)\n李科长\nmima-2026-ok\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sudo systemctl enable --now yishi-central"))
        #expect(result.stdout.contains("街道公钥（每个站点设置时填入）：\(try YishiBinary.ok(["central", "street-key"], data: data).split(separator: "\n")[0])"))
        let text = try String(contentsOf: config, encoding: .utf8)
        #expect(text.contains("tls_certificate = \"\(data.path)/tls/server.pem\"") && text.contains("port = \(port)"))
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("tls/ca.pem").path))
        #expect(try YishiBinary.ok(["central", "user", "list"], data: data).contains("李科长  街道管理员"))

        // The service starts from that config alone, over HTTPS.
        let notify = try NotifySocket(directory: folder.url)
        let serve = YishiBinary.configured(["central", "serve", "--config", config.path], data: nil, author: "")
        serve.environment?["NOTIFY_SOCKET"] = notify.path
        serve.environment?.removeValue(forKey: "YISHI_DATA")
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        #expect(notify.await("READY=1", seconds: 15).last?.contains("https://127.0.0.1:\(port)") == true)
        kill(serve.processIdentifier, SIGTERM)
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 0)
    }

    @Test func theVersionNamesTheReleaseAndTheRecordFormat() throws {
        let result = try YishiBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^yishi \d+\.\d+\.\d+\n数据格式：schema 1，修订 \d+"#, options: .regularExpression) != nil,
                "\(result.stdout)")
    }

    /// systemd gives up on status 78 (the units' RestartPreventExitStatus) instead of
    /// restarting into the same reason every ten seconds.
    @Test func aDaemonOnABoxNotSetUpExitsWithTheConfigStatusAndSaysWhatToDo() throws {
        let folder = TemporaryDirectory()
        let missing = try YishiBinary.run(["station", "run", "--config", folder.path("station.toml").path])
        #expect(missing.status == 78 && missing.stderr.contains("sudo yishi setup station"))
        let config = folder.path("station.toml")
        try Data("data = \"\(folder.path("nothing").path)\"\ncentral = \"http://127.0.0.1:9\"\n".utf8).write(to: config)
        let empty = try YishiBinary.run(["station", "run", "--config", config.path])
        #expect(empty.status == 78 && empty.stderr.contains("不是 Yishi 数据目录") && empty.stderr.contains("sudo yishi setup station"))
        let central = try YishiBinary.run(["central", "serve", "--data", folder.path("nothing").path])
        #expect(central.status == 78)
    }
}
