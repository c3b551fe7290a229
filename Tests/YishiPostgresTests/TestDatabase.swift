import Foundation
import Logging
import PostgresNIO
import Testing
import YishiCentral
import YishiPostgres
import YishiStore

/// The private PostgreSQL cluster the test run made (`scripts/postgres-cluster`, started by
/// `scripts/test`), named by `YISHI_TEST_POSTGRES` and its password file. Each test gets a
/// database of its own, made for it and dropped after it.
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["YISHI_TEST_POSTGRES"]
    static let passwordFile = environment["YISHI_TEST_POSTGRES_PASSWORD_FILE"]
    /// In CI the cluster must be there: a suite that skipped itself would pass by not running.
    static let required = environment["CI"] == "true"
    static var available: Bool { url != nil || required }

    static let logger: Logger = {
        var logger = Logger(label: "yishi.test.postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// The street's key every central process of a test loads, as from one file copied to
    /// each box.
    static let street: StreetKey = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-street-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try! StreetKey.create(at: StreetKey.url(in: folder))
    }()

    static func serverLocation() throws -> DatabaseLocation {
        guard let url else {
            throw DatabaseError.badLocation("CI=true 但没有 YISHI_TEST_POSTGRES：测试用的 PostgreSQL 没有启动（scripts/postgres-cluster）。")
        }
        return try DatabaseLocation(url)
    }

    static func password() throws -> String? { try DatabasePassword.read(file: passwordFile) }

    /// A new empty database on the test cluster for `body`, dropped afterwards.
    static func withFresh<T>(_ body: (DatabaseLocation, String?) async throws -> T) async throws -> T {
        let server = try serverLocation()
        let password = try password()
        let name = "yishi_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await admin(server, password, "CREATE DATABASE \(name)")
        var location = server
        location.database = String(name)
        do {
            let result = try await body(location, password)
            try await admin(server, password, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await admin(server, password, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// A central process's connection to `location`, closed after `body`.
    static func withCentral<T>(_ location: DatabaseLocation, _ password: String?, connections: Int = 8,
                               _ body: (CentralDatabase) async throws -> T) async throws -> T {
        let database = try await CentralDatabase.open(location, password: password, connections: connections, logger: logger)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    /// Runs one statement on the cluster's `postgres` database with a connection of its own.
    static func admin(_ server: DatabaseLocation, _ password: String?, _ sql: String) async throws {
        let client = PostgresClient(configuration: try server.configuration(password: password, connections: 1), backgroundLogger: logger)
        let runner = await client.startRunning()
        defer { runner.cancel() }
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}

extension SharedCentral {
    /// Whether this process's view of `scope` comes to have `digest` within a minute:
    /// a store through another process may still be committing when this is asked.
    func reaches(_ scope: String, _ digest: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            try await catchUp()
            if try replica.digest(scope: scope) == digest { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
