import ArgumentParser
import Foundation
import YishiCentral
import YishiDesk
import YishiMerge
import YishiOfficeDesk
import YishiStationDesk
import YishiStore
import YishiSync
import YishiTrust

/// `yishi setup station | central`: the first minutes on a new box once the package is
/// installed, in Chinese and without reading the source. It asks what only the person at
/// the box knows, checks every answer before it writes anything, fills in the config the
/// package installed (keeping its comments), makes the data directory as the service user,
/// and prints the next steps word for word.
struct SetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup", abstract: "新设备装好软件包后的设置：小区站点或街道中心。逐项提问，也可以从标准输入按顺序给出回答。",
        subcommands: [Station.self, Central.self])

    struct Station: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "station", abstract: "把本机设为小区站点：写配置、建数据目录和密钥，打印交给街道登记的那一行。")
        @Option(help: "站点服务的配置文件。") var config = "/etc/yishi/station.toml"
        @Option(help: "数据目录（默认取配置文件里的 data，否则 /var/lib/yishi）。") var data: String?
        @Option(help: "以 root 运行时，数据目录归哪个系统用户（站点服务以它运行）。") var user = ServiceUser.name

        func run() throws {
            let template = try SetupFiles.text(of: config, or: SetupFiles.stationTemplate)
            let directory = DataDirectory(path: data ?? ConfigFile.value(of: "data", in: template) ?? DataOptions.station)
            try SetupFiles.refuseExisting(directory)
            let service = try SetupFiles.serviceAccount(named: user)

            let ask = Questions()
            FileHandle.standardError.write(Data("设置本机为小区站点（数据目录 \(directory.url.path)）。方括号里是默认值，直接回车即采用。\n".utf8))
            let station = try ask.ask("站点编号（每个小区站点唯一，之后不能更改，如 HL3-01）", check: SetupFiles.identifier)
            let community = try ask.ask("社区编号（同一社区的站点相同，如 HL3）", check: SetupFiles.identifier)
            let communityName = try ask.ask("社区名称（印在公示上，如 哈量三社区）", default: "")
            let central = try ask.ask("中心地址（街道办给的，如 https://yishi.jiedao.local:8443）") {
                CentralAddress.problem($0, allowPlainHTTP: false)
            }
            var caFile: String?
            if central.hasPrefix("https://") {
                let usual = "/etc/yishi/central-ca.pem"
                let answer = try ask.ask("中心证书的 CA 文件（街道中心自己生成证书时，把它的 ca.pem 复制到本机；中心用公共证书时留空）",
                                         default: FileManager.default.fileExists(atPath: usual) ? usual : "") { path in
                    FileManager.default.isReadableFile(atPath: path) ? nil : "找不到文件 \(path)，请先把中心的 ca.pem 复制过来。"
                }
                caFile = answer.isEmpty ? nil : answer
            }
            let street = try ask.ask("街道公钥（街道中心 yishi setup central 打印的，也在街道工作台“站点”页上；用来核实本社区的每条修改。"
                                     + "留空则在第一次通过 HTTPS 与中心同步时自动保存）", default: "") { key in
                key.isEmpty || PublicKey.isValid(key) ? nil : "这不是一把公钥：请把街道给的那一行完整复制过来，或留空。"
            }
            let listen = try ask.ask("站点工作台的地址和端口（只在本机用写 127.0.0.1:8600；办公室电脑要打开时写本机局域网地址）",
                                     default: "127.0.0.1:8600") {
                StationCommand.Run.hostAndPort($0) == nil ? "应写成 地址:端口，如 127.0.0.1:8600 或 192.168.1.20:8600。" : nil
            }
            let account = try SetupFiles.askAccount(ask, role: StationRole.worker.rawValue)

            try SetupFiles.write(config, ConfigFile.setting([
                ("data", ConfigFile.quoted(directory.url.path)), ("central", ConfigFile.quoted(central)),
                ("desk_listen", ConfigFile.quoted(listen)), ("ca_file", caFile.map(ConfigFile.quoted)),
            ], in: template))
            try SetupFiles.actAsService(service, directory: directory)
            let (replica, key) = try InitCommand.makeStation(at: directory, station: station, community: community,
                                                             communityName: communityName.isEmpty ? nil : communityName)
            if !street.isEmpty { try replica.pinStreetKey(street) }
            if let account {
                try StaffDirectory(file: replica.directory.url.appendingPathComponent(StaffDirectory.fileName), roles: StationRole.names)
                    .add(name: account.name, role: StationRole.worker.rawValue, password: account.password)
            }
            let desk = StationCommand.Run.hostAndPort(listen).map { "http://\($0.0.contains(":") ? "[\($0.0)]" : $0.0):\($0.1)/" } ?? listen
            print("""
                已把本机设为站点 \(station)（社区 \(community)\(communityName.isEmpty ? "" : "，\(communityName)")）。
                  配置文件：\(config)
                  数据目录：\(directory.url.path)
                  本站公钥：\(key.publicKeyText)
                  街道公钥：\(street.isEmpty ? "尚未保存（第一次通过 HTTPS 同步时自动保存）" : "已保存")

                下一步：
                1. 把下面这一行交给街道管理员，在街道中心上运行（或在街道工作台“站点”页粘贴公钥）：
                     sudo yishi central enroll --station \(station) --community \(community) --key \(key.publicKeyText)
                2. 登记好以后，启动站点服务（以后开机自动运行）：
                     sudo systemctl enable --now yishi-station
                3. 在浏览器打开站点工作台 \(desk)\(account.map { "，用账号 \($0.name) 登录" } ?? "；先用 sudo yishi user add --name 姓名 --role 社区工作者 添加账号")。
                """)
        }
    }

    struct Central: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "central", abstract: "把本机设为街道中心：写配置、建数据目录、HTTPS 证书和第一个街道管理员账号。")
        @Option(help: "中心服务的配置文件。") var config = "/etc/yishi/central.toml"
        @Option(help: "数据目录（默认取配置文件里的 data，否则 /var/lib/yishi-central）。") var data: String?
        @Option(help: "以 root 运行时，数据目录归哪个系统用户（中心服务以它运行）。") var user = ServiceUser.name

        func run() throws {
            let template = try SetupFiles.text(of: config, or: SetupFiles.centralTemplate)
            let directory = DataDirectory(path: data ?? ConfigFile.value(of: "data", in: template) ?? DataOptions.central)
            try SetupFiles.refuseExisting(directory)
            let service = try SetupFiles.serviceAccount(named: user)

            let ask = Questions()
            FileHandle.standardError.write(Data("设置本机为街道中心（数据目录 \(directory.url.path)）。方括号里是默认值，直接回车即采用。\n".utf8))
            let names = try ask.ask("站点连中心用的主机名或 IP 地址，用空格分开（用来生成本机的 HTTPS 证书，如 yishi.jiedao.local 10.0.0.5；"
                                    + "前面已有 nginx 等负责 HTTPS 时留空）", default: "")
                .split(separator: " ").map(String.init)
            let host = try ask.ask("监听地址（\(names.isEmpty ? "由本机的反向代理转发时写 127.0.0.1" : "0.0.0.0 表示本机所有地址")）",
                                   default: names.isEmpty ? "127.0.0.1" : "0.0.0.0") { $0.contains(" ") ? "地址里不能有空格。" : nil }
            let port = try ask.ask("端口", default: names.isEmpty ? "8080" : "8443") {
                Int($0).map { (1...65_535).contains($0) } == true ? nil : "端口应是 1 到 65535 之间的整数。"
            }
            let account = try SetupFiles.askAccount(ask, role: OfficeRole.admin.rawValue)

            let files = CentralCertificates.files(in: directory.url)
            try SetupFiles.write(config, ConfigFile.setting([
                ("data", ConfigFile.quoted(directory.url.path)), ("host", ConfigFile.quoted(host)), ("port", port),
                ("tls_certificate", names.isEmpty ? nil : ConfigFile.quoted(files.certificate.path)),
                ("tls_key", names.isEmpty ? nil : ConfigFile.quoted(files.key.path)),
            ], in: template))
            try SetupFiles.actAsService(service, directory: directory)
            let node = try CentralNode.create(at: directory)
            if !names.isEmpty { try CentralCertificates.initialize(in: directory.url, names: names) }
            if let account {
                try StaffDirectory(file: directory.url.appendingPathComponent(StaffDirectory.fileName), roles: OfficeRole.names)
                    .add(name: account.name, role: OfficeRole.admin.rawValue, password: account.password)
            }
            let address = "\(names.isEmpty ? "http" : "https")://\(names.first ?? host):\(port)"
            print("""
                已把本机设为街道中心。
                  配置文件：\(config)
                  数据目录：\(directory.url.path)\(names.isEmpty ? "" : "\n  CA 证书：\(files.ca.path)（各站点要用它验证中心）")
                  街道签名密钥：\(StreetKey.url(in: directory.url).path)（只有本机管理员可读，请备份）
                  街道公钥（每个站点设置时填入）：\(node.street.pinnedKey)

                下一步：
                1. 启动中心服务（以后开机自动运行）：
                     sudo systemctl enable --now yishi-central
                2. \(names.isEmpty ? "在反向代理（nginx 等）上用 https 转发到 \(address)，站点的中心地址写代理的 https:// 地址。"
                        : "把 \(files.ca.path) 复制到每个站点的 /etc/yishi/central-ca.pem；站点的中心地址写 \(address)。")
                3. 每个站点运行 sudo yishi setup station 后会打印一行 sudo yishi central enroll …，在本机运行它即登记该站点。
                4. 街道工作台：\(address)/\(account.map { "，用账号 \($0.name) 登录" } ?? "；先用 sudo yishi central user add --name 姓名 --role 街道管理员 添加账号")。
                """)
        }
    }
}

/// What both setups share: the files they read and write and the account they act as.
enum SetupFiles {
    /// What a setup writes when the package's commented config is not there (a box set up
    /// by hand): the keys alone, with a pointer to the explanations.
    static let stationTemplate = "# Yishi 站点服务配置（yishi setup station 写入；各项说明见软件包的 /etc/yishi/station.toml）。\n"
    static let centralTemplate = "# Yishi 中心服务配置（yishi setup central 写入；各项说明见软件包的 /etc/yishi/central.toml）。\n"

    static func text(of path: String, or template: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return template }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandError("\(path) 不是 UTF-8 编码，请另存为 UTF-8 后重试。") }
        return text
    }

    /// A directory that holds records already is never set up again over them.
    static func refuseExisting(_ directory: DataDirectory) throws {
        guard (try? directory.validate()) != nil else { return }
        let replica = try? Replica.open(directory)
        let key = try? StationKey.load(from: directory.url)
        var message = "\(directory.url.path) 已经设置过（\(replica.map { "副本 \($0.replica)，社区 \($0.community)" } ?? "已有记录")），没有做任何改动。"
        if let replica, let key, replica.replica.rawValue != CentralNode.replicaID {
            message += "\n如需再次登记，请街道管理员运行：\n  sudo yishi central enroll --station \(replica.station) --community \(replica.community) --key \(key.publicKeyText)"
        }
        throw CommandError(message)
    }

    /// Root sets up for the `yishi` user the package made; anyone else sets up as themselves.
    static func serviceAccount(named name: String) throws -> ServiceUser.Account? {
        guard geteuid() == 0 else { return nil }
        guard let account = ServiceUser.account(named: name) else {
            throw CommandError("找不到系统用户 \(name)。请先安装 yishi 软件包（它会建立这个用户），"
                + "或者手工建立：adduser --system --group --home /var/lib/yishi \(name)。")
        }
        return account
    }

    /// After the config is written (root's file), everything else is made as the service user.
    static func actAsService(_ account: ServiceUser.Account?, directory: DataDirectory) throws {
        guard let account else { return }
        try ServiceUser.directory(directory.url.path, for: account)
        try ServiceUser.become(account)
    }

    /// Replaces the config file as a whole, so a crash leaves the old one or the new one.
    static func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw CommandError("无法写入配置文件 \(path)：\(FileProblem.describe(error))。请用 sudo 运行。")
        }
    }

    static func identifier(_ value: String) -> String? {
        ReplicaID.isValid(value) ? nil : "只能用英文字母、数字、点、下划线和连字符，如 HL3-01、HL3。"
    }

    /// The first desk account (optional: `yishi user add` makes one later).
    static func askAccount(_ ask: Questions, role: String) throws -> (name: String, password: String)? {
        let name = try ask.ask("第一个工作台账号（\(role)）的姓名（可以以后再加）", default: "") { value in
            (try? StaffDirectory.checkName(value)) == nil ? "姓名应是 1 到 32 个字，不含换行。" : nil
        }
        guard !name.isEmpty else { return nil }
        let password = try ask.newPassword(for: name)
        do {
            try StaffDirectory.checkPassword(password)
        } catch let error as DeskError {
            throw CommandError("\(error.message)没有做任何改动。")
        }
        return (name, password)
    }
}
