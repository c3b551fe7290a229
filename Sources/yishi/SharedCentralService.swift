import Foundation
import Hummingbird
import Logging
import YishiCentral
import YishiHTTP
import YishiMerge
import YishiPostgres

/// `yishi central serve --database …`: one of several central processes on one PostgreSQL
/// database (PROTOCOL.md, "Several central processes"). Stations push and pull through any
/// of them and get the same answers; the data folder holds only this process's view,
/// which follows the database and can be deleted. A database that is away at the start is
/// an ordinary failure (systemd starts the process again); a wrong address is the box's
/// set-up (exit 78, not restarted).
struct SharedCentralService {
    let settings: CentralCommand.Serve.Settings
    let database: DatabaseOptions

    func run() async throws {
        var logger = Logger(label: "yishi-central")
        logger.logLevel = .notice
        guard let (location, password) = try StartRefused.preparing({ try database.place(fallback: settings.database) }) else { return }
        let opened = try await DatabaseOptions.connect(location, password: password, connections: settings.connections, logger: logger)
        let shared = try StartRefused.preparing { try SharedCentral(database: opened, data: settings.directory, logger: logger) }
        let following = Task { await shared.follow() }
        let server = CentralServer(store: shared, origin: ReplicaID(rawValue: CentralNode.replicaID)!, publicURL: settings.publicURL)
        do {
            try await CentralCommand.Serve.serve(server, settings) { router in Self.addDeskNotice(to: router) }
        } catch {
            following.cancel()
            await opened.close()
            throw error
        }
        following.cancel()
        await following.value
        await opened.close()
    }

    /// The office desk and the public board read and write one replica, and a process's
    /// view is not yet a place to write to (each process would need an origin of its own,
    /// and accounts shared through the database). Until they are, a person who opens a
    /// page is told so plainly instead of meeting an empty desk.
    static func addDeskNotice(to router: Router<YishiRequestContext>) {
        let text = """
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>街道工作台暂不可用</title></head><body><main><h1>街道工作台暂不可用</h1>
            <p>这个中心进程把记录放在 PostgreSQL 数据库里，供多个进程共用；在这种部署下，街道工作台和公示栏还没有提供。</p>
            <p>站点的同步照常进行。需要工作台时，请在单机中心（不加 --database）上打开。</p></main></body></html>
            """
        let answer: @Sendable (Request, YishiRequestContext) async throws -> Response = { _, _ in
            Response(status: .serviceUnavailable, headers: [.contentType: "text/html; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        for path in ["/", "login", "office", "office/**", "public", "public/**"] { router.get(RouterPath(path), use: answer) }
    }
}
