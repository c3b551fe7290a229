import Logging
import PostgresNIO
import YishiCentral

/// One central process's connection to the shared database: a pooled `PostgresClient`
/// running for as long as the process does, the schema brought up to date on opening,
/// and the arrival log on top.
public final class CentralDatabase: Sendable {
    public let location: DatabaseLocation
    public let client: PostgresClient
    public let log: ArrivalLog
    public let stations: PostgresStationRegistry
    public let logger: Logger
    private let runner: Task<Void, Never>

    /// Connects, migrates and returns once the database is ready; throws in Chinese when it
    /// is not (unreachable, wrong password, written by a newer yishi).
    public static func open(_ location: DatabaseLocation, password: String?, connections: Int = 20, logger: Logger) async throws
        -> CentralDatabase
    {
        let client = PostgresClient(configuration: try location.configuration(password: password, connections: connections),
                                    backgroundLogger: logger)
        let database = CentralDatabase(location: location, client: client, logger: logger, runner: await client.startRunning())
        do {
            let version = try await YishiPostgres.database(within: .seconds(10)) { try await CentralSchema.migrate(client, logger: logger) }
            logger.info("中心数据库 \(location)：结构第 \(version) 版")
            return database
        } catch {
            await database.close()
            throw error
        }
    }

    private init(location: DatabaseLocation, client: PostgresClient, logger: Logger, runner: Task<Void, Never>) {
        self.location = location
        self.client = client
        self.logger = logger
        self.runner = runner
        log = ArrivalLog(client: client, logger: logger)
        stations = PostgresStationRegistry(client: client, logger: logger)
    }

    /// What `/healthz` says of the database: whether it answered within two seconds, and
    /// the schema version it holds.
    public struct Health: Sendable {
        public var answers: Bool
        public var schema: Int?
        public var reason: String?
    }

    public func health() async -> Health {
        do {
            let version = try await database(within: .seconds(2)) { [client, logger] in try await CentralSchema.version(client, logger: logger) }
            return Health(answers: true, schema: version, reason: nil)
        } catch {
            return Health(answers: false, schema: nil, reason: String(describing: error))
        }
    }

    /// This central's identity (schema step 5), the same for every process on it.
    public func identity() async throws -> String {
        try await database { [client, logger] in
            for try await id in try await client.query("SELECT id FROM central_identity", logger: logger).decode(String.self) { return id }
            throw DatabaseError.badLocation("数据库里没有中心的标识（central_identity）。")
        }
    }

    /// Closes the pool's connections and waits for the client to stop.
    public func close() async {
        runner.cancel()
        await runner.value
    }
}

extension PostgresClient {
    /// Runs the pool in a task of its own, returning once that task has begun: a lease
    /// made before `run()` has started waits for it, and PostgresNIO logs a warning for
    /// each such lease, which a central would write at every start.
    public func startRunning() async -> Task<Void, Never> {
        var runner: Task<Void, Never>?
        await withCheckedContinuation { (started: CheckedContinuation<Void, Never>) in
            runner = Task {
                started.resume()
                await self.run()
            }
        }
        return runner!
    }
}
