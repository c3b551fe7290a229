import ArgumentParser
import Foundation
import Logging
import YishiCentral
import YishiPostgres

/// `--database`: the central's records in a PostgreSQL database that several central
/// processes share (YishiPostgres), instead of in the data folder alone. The password
/// never goes in the address or on the command line, where `ps` shows it: a file, or
/// the environment.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "中心的 PostgreSQL 数据库地址，如 postgresql://yishi@127.0.0.1:5432/yishi；不给则用数据目录里的 SQLite。")
    var database: String?
    @Option(help: "数据库密码文件（只写密码一行，权限 0600）；也可用环境变量 YISHI_DATABASE_PASSWORD。")
    var databasePasswordFile: String?

    /// Opens the database named here (or by `fallback`, a config file's lines), nil when
    /// neither names one: the central then keeps its records in the data folder.
    func open(fallback: (address: String?, passwordFile: String?) = (nil, nil), connections: Int = 4,
              logger: Logger = DatabaseOptions.logger) async throws -> CentralDatabase? {
        guard let (location, password) = try place(fallback: fallback) else { return nil }
        return try await Self.connect(location, password: password, connections: connections, logger: logger)
    }

    /// The database's address and password as given, checked but not yet connected to:
    /// a mistake here is the box's set-up, not the server's state.
    func place(fallback: (address: String?, passwordFile: String?) = (nil, nil)) throws -> (DatabaseLocation, String?)? {
        guard let address = database ?? fallback.address else { return nil }
        do {
            return (try DatabaseLocation(address), try DatabasePassword.read(file: databasePasswordFile ?? fallback.passwordFile))
        } catch let error as DatabaseError {
            throw CommandError(error.description)
        }
    }

    static func connect(_ location: DatabaseLocation, password: String?, connections: Int = 4,
                        logger: Logger = DatabaseOptions.logger) async throws -> CentralDatabase {
        do {
            return try await CentralDatabase.open(location, password: password, connections: connections, logger: logger)
        } catch {
            throw CommandError("打不开中心的数据库 \(location)：\(error)")
        }
    }

    /// The station registry of the central these options name: the database's, or the
    /// SQLite one in `data`; closed after `body`.
    func withStations<T>(_ data: DataOptions, _ body: (any StationDirectory) async throws -> T) async throws -> T {
        guard let database = try await open() else {
            return try await body(try CentralNode.open(data.centralDirectory).registry)
        }
        do {
            let result = try await body(database.stations)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    static let logger: Logger = {
        var logger = Logger(label: "yishi-central")
        logger.logLevel = .warning
        return logger
    }()
}
