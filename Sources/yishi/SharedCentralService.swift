import Foundation
import Hummingbird
import Logging
import YishiCentral
import YishiHTTP
import YishiMerge
import YishiOfficeDesk
import YishiPostgres
import YishiSync

/// `yishi central serve --database …`: one of several central processes on one PostgreSQL
/// database (PROTOCOL.md, "Several central processes"). Stations push and pull through any
/// of them and get the same answers; the data folder holds only this process's view,
/// which follows the database, serves the office desk and the board, and takes the
/// office's writes, which it ships to the database before answering the form. A database that is away at the start is
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
        let street: StreetKey
        do {
            street = try StreetKey.load(from: settings.streetKeyURL)
        } catch {
            await opened.close()
            throw StartRefused(message: String(describing: error))
        }
        let shared = try StartRefused.preparing { try SharedCentral(database: opened, data: settings.directory, street: street, logger: logger) }
        do {
            try await shared.checkFolder()
        } catch let refusal as SyncSetupError {
            await opened.close()
            throw StartRefused(message: refusal.description)
        }
        let following = Task { await shared.follow() }
        TrustedProxies.set(settings.trustedProxies)
        let server = CentralServer(store: shared, origin: ReplicaID(rawValue: CentralNode.replicaID)!, street: street,
                                   publicURL: settings.publicURL, monitoring: settings.monitoring)
        do {
            let accounts = PostgresAccountBook(client: opened.client, logger: logger, roles: OfficeRole.names)
            let office = try OfficeDesk(central: shared, accounts: accounts, certificate: settings.certificateFile,
                                        secureCookies: settings.https, now: try CentralCommand.Serve.clock())
            let board = try CentralCommand.Serve.board(shared, settings)
            try await CentralCommand.Serve.serve(server, settings, office: office, board: board) { router in
                router.add(middleware: ShipAfterWrites(shared: shared))
            }
        } catch {
            following.cancel()
            await opened.close()
            throw error
        }
        following.cancel()
        await following.value
        await opened.close()
    }
}

/// After a form on the desk or the board is handled, its write is shipped to the database
/// before the answer goes back, so the person's "saved" means saved where every process
/// and station reads. Should the database be away, the write waits in the view and goes
/// with the next round of following.
struct ShipAfterWrites: RouterMiddleware {
    let shared: SharedCentral

    func handle(_ request: Request, context: YishiRequestContext,
                next: (Request, YishiRequestContext) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if request.method == .post, !request.uri.path.hasPrefix("/v1/") { _ = try? await shared.ship() }
        return response
    }
}
