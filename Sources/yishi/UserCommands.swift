import ArgumentParser
import Foundation
import YishiDesk
import YishiOfficeDesk
import YishiPostgres
import YishiStationDesk
import YishiStore

/// Where a desk's accounts live and which roles they take: the station's staff at the
/// station, the street office's at the central. Accounts never leave the box they are
/// made on: they are not journaled, exported or synced.
protocol AccountPlace {
    static var roles: [String] { get }
    static var abstract: String { get }
    static var discussion: String { get }
    /// The data directory the accounts live in: the station's or the central's.
    static func directory(_ data: DataOptions) throws -> DataDirectory
    /// Whether the accounts may live in a database several central processes share.
    static var shared: Bool { get }
}

enum StationAccounts: AccountPlace {
    static var roles: [String] { StationRole.names }
    static var abstract: String { "站点工作台的账号：添加、改密码、停用、列出。" }
    static var discussion: String { "角色：社区工作者（全部操作）、网格员（登记和分类议题）、只读（查看和打印）。账号只保存在本站，不会同步到中心。" }
    static func directory(_ data: DataOptions) throws -> DataDirectory { try data.directory }
    static var shared: Bool { false }
}

enum OfficeAccounts: AccountPlace {
    static var roles: [String] { OfficeRole.names }
    static var abstract: String { "街道工作台的账号：添加、改密码、停用、列出。" }
    static var discussion: String { "角色：街道管理员（全部，包括登记和停用站点）、街道工作人员（查看、记录部门报到和答复）、只读。账号只保存在中心。" }
    static func directory(_ data: DataOptions) throws -> DataDirectory { try data.centralDirectory }
    static var shared: Bool { true }
}

struct UserCommand<Place: AccountPlace>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "user", abstract: Place.abstract, discussion: Place.discussion,
                             subcommands: [Add.self, Passwd.self, Disable.self, List.self])
    }

    /// The accounts: in the data directory, or with `--database` (the central only) in the
    /// database its processes share.
    static func withAccounts<T>(_ data: DataOptions, _ database: DatabaseOptions, _ body: (any AccountBook) async throws -> T) async throws -> T {
        guard database.database != nil else {
            let directory = try Place.directory(data)
            try directory.validate()
            return try await body(try StaffDirectory(file: directory.url.appendingPathComponent(StaffDirectory.fileName), roles: Place.roles))
        }
        guard Place.shared else { throw CommandError("站点工作台的账号只保存在本站，没有 --database；请去掉它。") }
        guard let opened = try await database.open() else { throw CommandError("没有给出数据库地址。") }
        do {
            let result = try await body(PostgresAccountBook(client: opened.client, logger: opened.logger, roles: Place.roles))
            await opened.close()
            return result
        } catch {
            await opened.close()
            throw error
        }
    }

    struct Add: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "add", abstract: "添加账号；在终端上会提示输入密码，否则从标准输入读一行作为密码。")
        }
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions
        @Option(help: "姓名（登录时用，也是这个人所做修改的署名）。") var name: String
        @Option(help: "角色：\(Place.roles.joined(separator: "、"))。") var role: String

        func run() async throws {
            let password = try Password.read(confirm: true)
            try await UserCommand.withAccounts(data, database) { try await $0.add(name: name, role: role, password: password) }
            print("已添加账号 \(name)（\(role)）。")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "passwd", abstract: "设定新密码（同时恢复已停用的账号，并让它的登录全部失效）。")
        }
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions
        @Option(help: "姓名。") var name: String

        func run() async throws {
            let password = try Password.read(confirm: true)
            try await UserCommand.withAccounts(data, database) { try await $0.setPassword(name: name, password: password) }
            print("已为 \(name) 设定新密码。")
        }
    }

    struct Disable: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "disable", abstract: "停用账号：不能再登录，已登录的立即失效；署名的记录保持不变。")
        }
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions
        @Option(help: "姓名。") var name: String

        func run() async throws {
            try await UserCommand.withAccounts(data, database) { try await $0.disable(name: name) }
            print("已停用账号 \(name)。")
        }
    }

    struct List: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "list", abstract: "列出账号。") }
        @OptionGroup var data: DataOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let accounts = try await UserCommand.withAccounts(data, database) { try await $0.accounts() }
            if accounts.isEmpty { print("还没有账号。用 user add --name 姓名 --role \(Place.roles[0]) 添加。") }
            for account in accounts { print("\(account.name)  \(account.role)\(account.disabled ? "  已停用" : "")") }
        }
    }
}

/// Reads a password: with echo off on a terminal (asked twice), or one line from standard
/// input, so scripts can make accounts.
enum Password {
    static func read(confirm: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CommandError("没有读到密码：请在标准输入给出一行密码，如 echo '密码' | yishi user add …。")
            }
            return line
        }
        let first = try prompt("请输入密码（至少 8 个字符）：")
        if confirm, try prompt("请再输入一次：") != first { throw CommandError("两次输入的密码不一样，没有保存。") }
        return first
    }

    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
