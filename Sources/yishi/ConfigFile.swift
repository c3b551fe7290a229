import Foundation

/// A daemon's config file: `key = value` lines (integers, "strings", true/false), `#` comments — the
/// part of TOML these files need. Each key can be overridden by the environment variable
/// `YISHI_` + the key in capitals (`central` → `YISHI_CENTRAL`), which is how a systemd
/// drop-in or a container changes one setting. An unknown key or a bad value stops the
/// start with the file, line and what to write instead.
struct ConfigFile {
    private var values: [String: (value: String, line: Int)] = [:]
    let path: String
    private let environment: [String: String]

    init(path: String, allowed: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.path = path
        self.environment = environment
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError("找不到配置文件 \(path)。新设备请先运行 sudo yishi setup station（或 setup central）写好它；也可以从 Config/ 目录复制示例。")
        }
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if let hash = line.firstIndex(of: "#"), !line[..<hash].contains("\"") || line[..<hash].filter({ $0 == "\"" }).count % 2 == 0 {
                line = String(line[..<hash])
            }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CommandError("\(path) 第 \(index + 1) 行应写成 键 = 值，现在是“\(line)”。")
            }
            guard allowed.contains(parts[0]) else {
                throw CommandError("\(path) 第 \(index + 1) 行：不认识的键“\(parts[0])”。可用的键：\(allowed.joined(separator: "、"))。")
            }
            values[parts[0]] = (parts[1], index + 1)
        }
    }

    private func raw(_ key: String) -> (value: String, source: String)? {
        if let value = environment["YISHI_" + key.uppercased()] { return (value, "环境变量 YISHI_\(key.uppercased())") }
        return values[key].map { ($0.value, "\(path) 第 \($0.line) 行") }
    }

    /// A string, quoted in the file ("…"), bare in the environment.
    func string(_ key: String) throws -> String? {
        guard let (value, source) = raw(key) else { return nil }
        if source.hasPrefix("环境变量") { return value }
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else {
            throw CommandError("\(source)：\(key) 的值应加英文双引号，如 \(key) = \"…\"。")
        }
        return String(value.dropFirst().dropLast())
    }

    /// `true` or `false`, bare.
    func bool(_ key: String) throws -> Bool? {
        guard let (value, source) = raw(key) else { return nil }
        switch value {
        case "true": return true
        case "false": return false
        default: throw CommandError("\(source)：\(key) 应写 true 或 false（不加引号），现在是“\(value)”。")
        }
    }

    /// Addresses in one string, separated by commas or spaces: `"127.0.0.1, 10.0.0.2"`.
    func addresses(_ key: String) throws -> [String]? {
        try string(key).map { $0.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) }
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let (value, source) = raw(key) else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw CommandError("\(source)：\(key) 应是 \(range.lowerBound) 到 \(range.upperBound) 之间的整数，现在是“\(value)”。")
        }
        return number
    }
}
