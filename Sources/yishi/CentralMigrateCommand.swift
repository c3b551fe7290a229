import ArgumentParser
import Foundation
import YishiCentral
import YishiPostgres
import YishiStore

/// `yishi central migrate --to postgresql://…`: moves a single central's records from its
/// data folder into an empty PostgreSQL database, every op with its arrival number, so
/// that every station syncs on as if nothing happened (CentralMigration). The folder is
/// only read; the old central should be stopped first, or what it receives meanwhile stays
/// behind.
struct CentralMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "把单机中心的记录迁入一个空的 PostgreSQL 数据库（先停掉中心服务）。")
    @OptionGroup var data: DataOptions
    @Option(help: "目标数据库地址，如 postgresql://yishi@127.0.0.1:5432/yishi。它必须是空的（createdb 新建的）。") var to: String
    @Option(help: "数据库密码文件（只写密码一行）；也可用环境变量 YISHI_DATABASE_PASSWORD。") var databasePasswordFile: String?

    func run() async throws {
        let node = try CentralNode.open(data.centralDirectory)
        let options = try DatabaseOptions.parse(["--database", to] + (databasePasswordFile.map { ["--database-password-file", $0] } ?? []))
        guard let database = try await options.open() else { return }
        let meter = ProgressMeter(json: false, kept: "迁移是一个事务：中断后数据库里什么也没有留下，可以重新运行。")
        do {
            let report = try await CentralMigration.run(from: node, into: database, progress: { try? meter.note($0) })
            meter.finish()
            await database.close()
            print("已迁入 \(database.location)：\(report.ops) 条修改、\(report.stations) 个站点、\(report.accounts) 个工作台账号。")
            print("之后用 yishi central serve --database \(database.location) 运行中心（每个进程一个自己的空数据目录）；站点不用做任何改动。")
            print("街道签名密钥在 \(StreetKey.url(in: node.replica.directory.url).path)：把它复制到每个中心进程的机器上（权限 0600），")
            print("在各自的 central.toml 里写 street_key = \"复制到的路径\"，站点保存的街道公钥就不变。")
            let certificate = node.replica.directory.url.appendingPathComponent("tls/server.pem")
            if FileManager.default.fileExists(atPath: certificate.path) {
                print("中心的 HTTPS 证书在 \(certificate.deletingLastPathComponent().path)：把 server.pem 和 server.key 复制到每个中心进程的机器上，")
                print("在各自的 central.toml 里照旧写 tls_certificate 和 tls_key，站点信任的证书就不变。")
            }
        } catch {
            meter.finish()
            await database.close()
            throw CommandError(Yishi.explanation(of: error) ?? "\(error)")
        }
    }
}
