import ArgumentParser
import Foundation
import YishiMerge
import YishiStore

/// Where the replica lives.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "数据目录（默认取环境变量 YISHI_DATA，否则站点为 /var/lib/yishi，中心为 /var/lib/yishi-central）。")
    var data: String?

    /// Where the command works. Every command finds its data directory here, so this is
    /// also where root, running a command on a directory the service user owns, becomes
    /// that user (see `ServiceUser`).
    var directory: DataDirectory {
        get throws { try directory(default: Self.station) }
    }

    /// The central's data directory: the same, but where `yishi setup central` puts it by
    /// default, so that the enroll line a station prints works as it is on the office's box.
    var centralDirectory: DataDirectory {
        get throws { try directory(default: Self.central) }
    }

    static let station = "/var/lib/yishi"
    static let central = "/var/lib/yishi-central"

    private func directory(default path: String) throws -> DataDirectory {
        let path = data ?? ProcessInfo.processInfo.environment["YISHI_DATA"] ?? path
        try ServiceUser.becomeOwner(of: path)
        return DataDirectory(path: path)
    }

    func open() throws -> Replica { try Replica.open(directory) }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "以 JSON 输出，供脚本使用。")
    var json = false
}

/// Who is making an edit: every value shows its author.
struct AuthorOptions: ParsableArguments {
    @Option(name: .customLong("by"), help: "录入人姓名（默认取环境变量 YISHI_AUTHOR）。")
    var author: String?

    func name() throws -> String {
        let name = author ?? ProcessInfo.processInfo.environment["YISHI_AUTHOR"] ?? ""
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CommandError("请用 --by 姓名 说明是谁录入的（也可以设置环境变量 YISHI_AUTHOR）。")
        }
        return name
    }
}

extension WallTime {
    static var now: WallTime { WallTime(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded())) }
}
