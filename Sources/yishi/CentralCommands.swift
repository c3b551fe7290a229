import ArgumentParser
import Foundation
import Hummingbird
import YishiHTTP
import NIOSSL
import YishiCentral
import YishiModel
import YishiDeliberation
import YishiOfficeDesk
import YishiPublicBoard
import YishiPostgres
import YishiMerge
import YishiStation
import YishiStore
import YishiSync

struct CentralCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "central", abstract: "中心节点（街道/区）：登记站点、提供同步服务。",
        subcommands: [Init.self, Enroll.self, Revoke.self, Stations.self, Serve.self, ScopeDigest.self, CentralTLSCommand.self,
                      StreetKeyCommand.self, DirectoryCommand.self, UserCommand<OfficeAccounts>.self, CentralMigrateCommand.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", abstract: "建立中心的数据目录。")
        @OptionGroup var data: DataOptions

        func run() throws {
            let node = try CentralNode.create(at: data.centralDirectory)
            print("已建立中心数据目录：\(node.replica.directory.url.path)")
            print("街道公钥（各站点要保存它：yishi setup station 时填入，或 yishi trust pin）：\(node.street.pinnedKey)")
        }
    }

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enroll", abstract: "登记（或更新）一个站点：编号、社区、公钥。")
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions
        @Option var station: String
        @Option var community: String
        @Option(help: "站点上 yishi key 打印的公钥。") var key: String
        @Flag(help: "站点换了新设备（旧设备坏了或丢了）：新设备用新的副本编号，旧设备的密钥作废。") var newBox = false

        func run() async throws {
            let enrollment = try await database.withStations(data) {
                try await $0.enroll(id: station, community: community, publicKey: key, newBox: newBox, now: StationRegistry.now)
            }
            switch enrollment {
            case .new: print("已登记站点 \(station)（社区 \(community)）。")
            case .unchanged: print("站点 \(station) 已用这把公钥登记过，没有改动（如曾停用，现已恢复）。")
            case .keyReplaced: print("已为站点 \(station) 登记新公钥；旧密钥从现在起作废，用它签名的请求会被拒绝。")
            case .newBox(let replica, let former):
                print("已为站点 \(station) 登记新设备：新设备的副本编号是 \(replica)（原设备 \(former) 的密钥已作废）。")
                print("请在新设备上再运行一次 yishi init --station \(station) --community \(community) --from-central 中心地址，取回本社区的全部记录。")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "停用一个站点：之后它的同步请求一律拒绝。")
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions
        @Option var station: String

        func run() async throws {
            try await database.withStations(data) { try await $0.revoke(id: station) }
            print("已停用站点 \(station)。")
        }
    }

    struct Stations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stations", abstract: "列出已登记的站点。")
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            for station in try await database.withStations(data, { try await $0.stations() }) {
                let box = station.replica == station.id ? "" : "  设备 \(station.replica)"
                print("\(station.id)  社区 \(station.community)\(box)\(station.revoked ? "  已停用" : "")")
            }
        }
    }

    struct ScopeDigest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "digest", abstract: "中心看到的某个社区的记录摘要，应与该社区站点的 yishi digest --scope 相同。")
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions
        @Option var scope: String

        func run() async throws {
            guard let opened = try await database.open() else {
                print(try CentralNode.open(data.centralDirectory).replica.digest(scope: scope))
                return
            }
            do {
                let digest = try await YishiPostgres.ScopeDigest.compute(opened, scope: scope)
                await opened.close()
                print(digest)
            } catch {
                await opened.close()
                throw error
            }
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "serve", abstract: "运行中心的同步服务（由 systemd 运行）。")
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions
        @Option(help: "配置文件，如 /etc/yishi/central.toml；下面的选项优先于它。") var config: String?
        @Option var host: String?
        @Option(help: "端口；0 表示由系统分配（启动后会打印）。") var port: Int?
        @Option(help: "HTTPS 证书文件（PEM），如 yishi central tls init 生成的 tls/server.pem。") var tlsCertificate: String?
        @Option(help: "HTTPS 私钥文件（PEM），如 tls/server.key。") var tlsKey: String?
        @Option(help: "居民打开公示栏的地址（印在公示的二维码上），如 https://yishi.jiedao.gov.cn。") var publicURL: String?
        @Option(help: "街道签名密钥文件（默认是数据目录里的 street.key；共用数据库的各个中心进程要用同一个）。") var streetKey: String?

        /// What the box's set-up decides: the config file, the options over it.
        struct Settings {
            var directory: DataDirectory
            var host: String
            var port: Int
            var tls: TLSConfiguration?
            var certificateFile: String?
            var publicURL: String?
            var database: (address: String?, passwordFile: String?)
            var connections: Int
            /// The street's signing key file (`street_key`), else `street.key` in the folder.
            var streetKey: String?
            /// What one client may hold of the server, and whom it believes and tells more.
            var limits = ConnectionLimits()
            var trustedProxies: [String] = []
            var monitoring = Monitoring()
            /// Reached only over HTTPS through a proxy (`https_proxy`): Secure cookies and HSTS.
            var httpsProxy = false

            /// Whether browsers reach it over HTTPS (its own TLS or the proxy's).
            var https: Bool { tls != nil || httpsProxy }

            var streetKeyURL: URL { streetKey.map(URL.init(fileURLWithPath:)) ?? StreetKey.url(in: directory.url) }

            var scheme: String { tls == nil ? "http" : "https" }
        }

        func run() async throws {
            let settings = try StartRefused.preparing(prepare)
            if database.database ?? settings.database.address != nil {
                try await SharedCentralService(settings: settings, database: database).run()
                return
            }
            TrustedProxies.set(settings.trustedProxies)
            let node = try StartRefused.preparing { try CentralNode.open(settings.directory) }
            if node.madeStreetKey {
                FileHandle.standardError.write(Data("已生成街道签名密钥 \(StreetKey.url(in: settings.directory.url).path)（请备份）。站点要保存的街道公钥：\(node.street.pinnedKey)\n".utf8))
            }
            let server = CentralServer(node: node, publicURL: settings.publicURL, monitoring: settings.monitoring)
            let office = try OfficeDesk(node: node, certificate: settings.certificateFile, secureCookies: settings.https, now: try Self.clock())
            try await Self.serve(server, settings, office: office, board: try Self.board(node, settings))
        }

        /// The desk's clock: the wall's, or the tests' pretend one.
        static func clock() throws -> @Sendable () -> LocalDateTime {
            let pretend = try LoopOptions.now()
            return { pretend ?? LocalDateTime(milliseconds: WallTime.now.milliseconds) }
        }

        static func board(_ central: any OfficeCentral, _ settings: Settings) throws -> PublicBoard {
            try PublicBoard(source: boardSource(central, now: try clock(), publicURL: settings.publicURL), limits: .central,
                            secureCookies: settings.https)
        }

        /// Serves the sync endpoints, the office desk and the board until SIGTERM, keeping
        /// the desk's figures, escalations and search index fresh in the background;
        /// `middleware` wraps every route (a process on a shared database ships the
        /// desk's writes with it).
        static func serve(_ server: CentralServer, _ settings: Settings, office: OfficeDesk, board: PublicBoard,
                          middleware: (Router<YishiRequestContext>) -> Void = { _ in }) async throws {
            let refresh = Task { await office.keepFiguresFresh() }
            defer { refresh.cancel() }
            try await serve(server, settings) { router in
                if settings.https { router.add(middleware: StrictTransportSecurity<YishiRequestContext>()) }
                middleware(router)
                office.addRoutes(to: router)
                board.addRoutes(to: router)
            }
        }

        /// Runs `server` until SIGTERM, saying when it listens: on stdout and to systemd.
        static func serve(_ server: CentralServer, _ settings: Settings, routes: (Router<YishiRequestContext>) -> Void) async throws {
            let notifier = SystemdNotifier()
            try await server.run(host: settings.host, port: settings.port, tls: settings.tls, limits: settings.limits, routes: routes) { port in
                FileHandle.standardOutput.write(Data("中心已启动：\(settings.scheme)://\(settings.host):\(port)\n".utf8))
                notifier.ready("监听 \(settings.scheme)://\(settings.host):\(port)")
            }
            notifier.stopping()
        }

        /// The board of every community: what residents raise is written under the
        /// community's own origin (`central.<community>`), as the office's answers are.
        static func boardSource(_ central: any OfficeCentral, now: @escaping @Sendable () -> LocalDateTime, publicURL: String?) -> PublicBoard.Source {
            PublicBoard.Source(
                communities: { try central.communities() },
                loop: { Deliberation(replica: central.replica, rules: CommunityRules(), now: now, scope: $0) },
                name: { $0 },
                version: { try central.replica.scopeVersion($0) },
                publicURL: { publicURL })
        }

        private func prepare() throws -> Settings {
            let file = try config.map {
                try ConfigFile(path: $0, allowed: ["data", "host", "port", "tls_certificate", "tls_key", "public_url",
                                                   "database", "database_password_file", "database_connections", "street_key",
                                                   "idle_timeout_seconds", "connections_per_address", "trusted_proxies", "monitoring_addresses",
                                                   "monitoring_token_file", "https_proxy"])
            }
            let directory = try data.data.map { DataDirectory(path: $0) } ?? file?.string("data").map { DataDirectory(path: $0) }
                ?? data.centralDirectory
            let host = try host ?? file?.string("host") ?? "127.0.0.1"
            let port = try port ?? file?.integer("port", in: 0...65_535) ?? 8080
            let tls: TLSConfiguration?
            let certificateFile = try tlsCertificate ?? file?.string("tls_certificate")
            switch (certificateFile, try tlsKey ?? file?.string("tls_key")) {
            case let (certificate?, key?): tls = try CentralCertificates.serverConfiguration(certificate: certificate, key: key)
            case (nil, nil): tls = nil
            default: throw CommandError("tls_certificate 和 tls_key 要一起写：一个是证书，一个是它的私钥（yishi central tls init 会打印这两行）。")
            }
            let publicURL = try publicURL ?? file?.string("public_url")
            if let publicURL, !(publicURL.hasPrefix("https://") || publicURL.hasPrefix("http://")) || URLComponents(string: publicURL)?.host == nil {
                throw CommandError("public_url 应是居民打开公示栏的完整地址，如 \"https://yishi.jiedao.gov.cn\"，现在是“\(publicURL)”。")
            }
            var settings = Settings(directory: directory, host: host, port: port, tls: tls, certificateFile: certificateFile, publicURL: publicURL,
                                    database: (try file?.string("database"), try file?.string("database_password_file")),
                                    connections: try file?.integer("database_connections", in: 2...200) ?? 20,
                                    streetKey: try streetKey ?? file?.string("street_key"))
            if let file { try Self.limits(file, into: &settings) }
            return settings
        }

        /// The limits, proxies and monitoring of `central.toml` (PROTOCOL.md, "Limits").
        static func limits(_ file: ConfigFile, into settings: inout Settings) throws {
            if let seconds = try file.integer("idle_timeout_seconds", in: 5...3_600) { settings.limits.idleTimeout = .seconds(seconds) }
            if let count = try file.integer("connections_per_address", in: 4...10_000) { settings.limits.perAddress = count }
            settings.trustedProxies = try file.addresses("trusted_proxies") ?? []
            if let addresses = try file.addresses("monitoring_addresses") { settings.monitoring.addresses = Set(addresses) }
            if let path = try file.string("monitoring_token_file") {
                guard let token = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }),
                      token.count >= 16
                else { throw CommandError("monitoring_token_file 指向的 \(path) 读不到，或其中的口令短于 16 个字符。") }
                settings.monitoring.token = token
            }
            settings.httpsProxy = try file.bool("https_proxy") ?? false
        }
    }
}

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "与中心同步：上传本站的修改，下载其他站点的修改。")
    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "现在同步一次（站点服务会定时自动同步）。") var once = false
    @Option(help: "中心地址，如 http://127.0.0.1:8080（默认取环境变量 YISHI_CENTRAL）。") var central: String?
    @Option(help: "验证中心证书用的 CA 文件（同站点配置的 ca_file）。") var caFile: String?
    @Flag(help: "允许用不加密的 http:// 连本机以外的中心（同站点配置的 allow_plain_http）。") var allowPlainHttp = false

    func run() throws {
        guard once else { throw CommandError("请加 --once 立即同步一次；定时同步由站点服务负责。") }
        guard let url = central ?? ProcessInfo.processInfo.environment["YISHI_CENTRAL"] else {
            throw CommandError("请用 --central 给出中心地址（或设置 YISHI_CENTRAL）。")
        }
        if let problem = CentralAddress.problem(url, allowPlainHTTP: allowPlainHttp) { throw CommandError(problem) }
        let replica = try data.open()
        var configuration = CurlClient.Configuration()
        configuration.caFile = caFile
        let session = try SyncSession(replica: replica, client: CurlClient(configuration: configuration), central: url)
        let report = try Self.run(session, json: output.json) { $0 }
        if output.json {
            Output.printJSON(["pushed": report.pushed, "pulled": report.pulled, "applied": report.applied])
        } else {
            print("同步完成：上传 \(report.pushed) 条，下载 \(report.pulled) 条（新应用 \(report.applied) 条）。")
        }
    }
}

extension SyncCommand {
    /// Runs a sync, with its progress on a terminal's stderr, and records how it went for
    /// `yishi status` and the desk's banner; a failure becomes `failure(message)`. Ctrl+C
    /// lets the batch in hand finish (each is one transaction) and keeps what came.
    static func run(_ session: SyncSession, json: Bool, kept: String = "已完成的批次都已保存（每批一个事务），下次同步会从这里接着做。",
                    failure: (String) -> String) throws -> SyncReport {
        let meter = ProgressMeter(json: json, kept: kept)
        defer { meter.finish() }
        let report: SyncReport
        do {
            report = try session.run(progress: { try? meter.note($0) }, shouldContinue: { meter.shouldContinue })
        } catch {
            try? SyncRecord.failed(session.replica, error)
            throw CommandError(failure(error.message))
        }
        if !meter.shouldContinue {
            // Not a finished sync: `yishi status` keeps the last one that was.
            meter.finish()
            FileHandle.standardError.write(Data("已中断：已上传 \(report.pushed) 条，已下载 \(report.pulled) 条。\(kept)\n".utf8))
            throw ExitCode(130)
        }
        try SyncRecord.succeeded(session.replica, report)
        return report
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "本站同步状态：待上传、等待中的修改、上次同步、时钟偏差。")
    @OptionGroup var data: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let replica = try data.open()
        let queued = try replica.outboxCount()
        let held = try replica.heldCount()
        let record = try SyncRecord.read(replica)
        if output.json {
            Output.printJSON(["queued": String(queued), "held": String(held), "lastSync": record.lastSuccess.map(String.init) ?? "",
                              "clockSkewMs": String(record.clockSkew), "centralReachable": String(!record.lastAttemptFailed),
                              "lastFailure": record.lastFailure ?? ""])
            return
        }
        print("站点 \(replica.replica)（社区 \(replica.community)）")
        print("  待上传的修改：\(queued) 条")
        if held > 0 { print("  等待更早修改的：\(held) 条") }
        print("  上次成功同步：" + (record.lastSuccess.map { WallTime(milliseconds: $0).beijingMinutes } ?? "从未"))
        print("  中心：" + (record.lastAttemptFailed ? "上次连接失败" + (record.lastFailure.map { "：" + $0 } ?? "（网络不通或中心未运行）") : (record.lastSuccess == nil ? "未知" : "可达")))
        if record.lastSuccess != nil {
            let seconds = Double(record.clockSkew) / 1000
            print(String(format: "  本机时钟与中心相差：%.1f 秒%@", seconds, abs(seconds) > 300 ? "（偏差较大，请校准本机时间）" : ""))
        }
    }
}
