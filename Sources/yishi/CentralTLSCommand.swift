import ArgumentParser
import Foundation
import YishiCentral

/// `yishi central tls init`: a private CA and a server certificate for the central, so that
/// sync and the office desk are encrypted without a bought certificate or a proxy.
struct CentralTLSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tls", abstract: "中心的 HTTPS 证书。", subcommands: [Init.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "生成街道自己的 CA 和中心的服务器证书（写入数据目录的 tls/），并打印配置方法。已有 CA 时沿用它，只换服务器证书。")
        @OptionGroup var data: DataOptions
        @Option(help: "站点连中心时用的主机名或 IP 地址；可写多次，如 --name yishi.jiedao.local --name 10.0.0.5。") var name: [String] = []
        @Option(help: "服务器证书的有效年数。") var years = 10

        func run() throws {
            guard (1...30).contains(years) else { throw CommandError("--years 应在 1 到 30 之间，现在是 \(years)。") }
            let files = try CentralCertificates.initialize(in: data.centralDirectory.url, names: name, years: years)
            print("""
                已生成中心的 HTTPS 证书（\(name.joined(separator: "、"))）：
                  CA 证书     \(files.ca.path)
                  服务器证书  \(files.certificate.path)
                  服务器私钥  \(files.key.path)（只有本机管理员可读）
                  CA 私钥     \(files.caKey.path)（只有本机管理员可读；以后换服务器证书时要用，请备份）

                在 central.toml 里加上这两行，然后重启中心服务：
                  tls_certificate = "\(files.certificate.path)"
                  tls_key = "\(files.key.path)"

                把 \(files.ca.path) 复制到每个站点（如 /etc/yishi/central-ca.pem），在 station.toml 里写：
                  central = "https://\(name.first ?? "中心地址"):端口"
                  ca_file = "/etc/yishi/central-ca.pem"
                """)
        }
    }
}
