import Foundation

/// The system user the services run as (`yishi`, made by the package). The files in a data
/// directory must stay its own: a database, WAL or account file that root created would
/// stop the daemon at its next start. So a command that root runs on a data directory
/// belonging to another user first takes that user's identity, and `yishi setup` makes the
/// data directory as this user.
enum ServiceUser {
    static let name = "yishi"

    struct Account {
        var name: String
        var uid: uid_t
        var gid: gid_t
    }

    static func account(named name: String = name) -> Account? {
        guard let entry = getpwnam(name) else { return nil }
        return Account(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// Root running a command on `path`, which belongs to someone else: go on as its owner.
    static func becomeOwner(of path: String) throws {
        guard geteuid() == 0 else { return }
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid != 0 else { return }
        let name = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) }
        try become(Account(name: name ?? String(info.st_uid), uid: info.st_uid, gid: info.st_gid), knownByName: name != nil)
    }

    /// Drops root for good: supplementary groups, group, then user.
    static func become(_ account: Account, knownByName: Bool = true) throws {
        let groups = knownByName ? initgroups(account.name, account.gid) : setgroups(0, nil)
        guard groups == 0, setgid(account.gid) == 0, setuid(account.uid) == 0 else {
            throw CommandError("无法以用户 \(account.name) 的身份运行（\(String(cString: strerror(errno)))），没有做任何改动。")
        }
    }

    /// A directory the service user owns, made if missing (by root, before it drops root).
    static func directory(_ path: String, for account: Account, mode: mode_t = 0o750) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CommandError("无法建立目录 \(path)：\(error.localizedDescription)")
        }
        guard chown(path, account.uid, account.gid) == 0, chmod(path, mode) == 0 else {
            throw CommandError("无法把 \(path) 交给用户 \(account.name)：\(String(cString: strerror(errno)))。")
        }
    }
}
