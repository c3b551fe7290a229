import Foundation
import NIOSSL
import PostgresNIO

/// Where the central's shared records live: `database = "postgresql://user@host:5432/yishi"`
/// in central.toml or `--database` on the command line. The password never comes from the
/// address (a command line is visible to every user of the box in `ps`): it is read from
/// a file or from the environment (see `DatabasePassword`).
public struct DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected, with libpq's names for it (`?sslmode=`), which
    /// the database's administrators already know.
    public enum TLSMode: String, Sendable {
        /// No TLS: only for a server on the same box or the loopback.
        case disable
        /// TLS if the server offers it (libpq's default).
        case prefer
        /// TLS or no connection; the server's certificate is not checked.
        case require
        /// TLS, a certificate from `sslrootcert` (or the system's), and the host's name in it.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// The CA that signed the server's certificate, for `verify-full`.
    public var rootCertificate: String?

    /// The address as written, which may be logged: it never holds a password.
    public var description: String {
        var query: [String] = []
        if tls != .prefer { query.append("sslmode=\(tls.rawValue)") }
        if let rootCertificate { query.append("sslrootcert=\(rootCertificate)") }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(user)@\(hostPart):\(port)/\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// Reads an address, or says in Chinese what is wrong with it and how it should look.
    public init(_ text: String) throws {
        let example = "应当像这样：postgresql://yishi@db.jiedao.lan:5432/yishi"
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgresql", "postgres"].contains(scheme) else {
            throw DatabaseError.badLocation("数据库地址“\(text)”不是 PostgreSQL 的地址。\(example)")
        }
        guard url.password == nil else {
            throw DatabaseError.badLocation(
                "数据库地址里不能写密码（命令行和配置文件别人可能看得到）。请把密码放进 password_file 指向的文件，或环境变量 \(DatabasePassword.environmentName)。")
        }
        guard let user = url.user, !user.isEmpty else {
            throw DatabaseError.badLocation("数据库地址“\(text)”缺少用户名。\(example)")
        }
        guard let host = url.host, !host.isEmpty else {
            throw DatabaseError.badLocation("数据库地址“\(text)”缺少服务器地址。\(example)")
        }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw DatabaseError.badLocation("数据库地址“\(text)”缺少数据库名（端口后面的 /yishi）。\(example)")
        }
        self.user = user
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = url.port ?? 5432
        self.database = database
        self.tls = .prefer
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw DatabaseError.badLocation("sslmode 只能是 disable、prefer、require 或 verify-full，不是“\(item.value ?? "")”。")
                }
                tls = mode
            case "sslrootcert":
                rootCertificate = item.value
            default:
                throw DatabaseError.badLocation("数据库地址里的“\(item.name)”不认识。可以写的是 sslmode 和 sslrootcert。")
            }
        }
        if rootCertificate != nil && tls != .verifyFull {
            throw DatabaseError.badLocation("写了 sslrootcert 就要同时写 sslmode=verify-full，否则证书不会被检查。")
        }
    }

    /// The client's settings. `connections` bounds the pool: each central process keeps
    /// this many at most, and the database server's `max_connections` must cover them all.
    public func configuration(password: String?, connections: Int = 20) throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: try clientTLS())
        configuration.options.maximumConnections = connections
        configuration.options.connectTimeout = .seconds(5)
        // Names this process in pg_stat_activity, for whoever looks after the server. JIT
        // off: the central's queries are short index walks, but the planner's estimate for
        // counting every station's lag (each walk costed as if the station had never
        // pulled) passes JIT's threshold, and compiling took 155 ms of a 190 ms overview.
        configuration.options.additionalStartupParameters = [("application_name", "yishi-central"), ("jit", "off")]
        return configuration
    }

    private func clientTLS() throws -> PostgresClient.Configuration.TLS {
        switch tls {
        case .disable:
            return .disable
        case .prefer, .require:
            var settings = TLSConfiguration.makeClientConfiguration()
            // As libpq's prefer and require: the channel is encrypted, the peer not verified.
            settings.certificateVerification = .none
            return tls == .prefer ? .prefer(settings) : .require(settings)
        case .verifyFull:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .fullVerification
            if let rootCertificate {
                do {
                    settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificate))
                } catch {
                    throw DatabaseError.badLocation("读不出 sslrootcert 指向的证书 \(rootCertificate)：\(error)。请确认它是 PEM 格式的 CA 证书。")
                }
            }
            return .require(settings)
        }
    }
}

/// The database password: from the file `password_file` names (mode 0600, owned by the
/// service's user, as systemd's LoadCredential or an administrator puts it there), else
/// from `YISHI_DATABASE_PASSWORD`; none when the server trusts the connection otherwise.
public enum DatabasePassword {
    public static let environmentName = "YISHI_DATABASE_PASSWORD"

    public static func read(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw DatabaseError.badLocation("读不到数据库密码文件 \(file)。请确认文件存在，且运行 yishi 的用户能读它。")
            }
            // One line, as `echo secret > file` writes it.
            return text.trimmingCharacters(in: .newlines)
        }
        return environment[environmentName]
    }
}
