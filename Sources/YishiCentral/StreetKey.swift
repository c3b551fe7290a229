import Foundation
import YishiStore
import YishiSync
import YishiTrust

/// The street's signing key (Ed25519): it signs the office's own ops (`central.HL3`), the
/// directory of every community's keys, and attestations of ops it vouches for (a box on
/// the previous release, a retired box). `yishi setup central` or `yishi central init`
/// makes it in the central's data folder; every central process on a shared database loads
/// the same file, like the TLS files. The file also keeps the chain of the street's public
/// keys, each endorsed by the one before, so that a rotation keeps every station's pin.
public struct StreetKey: Sendable {
    public static let fileName = "street.key"

    public let signing: SigningKey
    /// Oldest first; the last is `signing`'s public half.
    public let chain: [KeyDirectory.StreetKey]

    /// The public key stations pin (the first of the chain): what `yishi setup central`
    /// prints and the office desk's 站点 page shows.
    public var pinnedKey: String { chain.first?.key ?? signing.publicKey }

    public static func url(in folder: URL) -> URL { folder.appendingPathComponent(fileName) }

    /// Makes a new street key at `url`; refuses to replace one.
    @discardableResult
    public static func create(at url: URL) throws -> StreetKey {
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw SyncSetupError("街道签名密钥 \(url.path) 已经存在，没有改动。换密钥请用 yishi central street-key rotate。")
        }
        let signing = SigningKey()
        let key = StreetKey(signing: signing, chain: [KeyDirectory.StreetKey(key: signing.publicKey)])
        try key.write(to: url)
        return key
    }

    public static func load(from url: URL) throws -> StreetKey {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SyncSetupError("找不到街道签名密钥 \(url.path)。它由 yishi setup central（或 yishi central init）生成；共用数据库的各个中心进程要用同一个文件：请从第一台中心复制过来（权限 0600），或在 central.toml 里用 street_key 指明位置。")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let signing = (object["private"] as? String).flatMap(SigningKey.init(base64:)),
              let links = object["chain"] as? [[String: Any]]
        else { throw SyncSetupError("街道签名密钥 \(url.path) 的内容不对（文件可能损坏）。请从备份恢复它。") }
        let chain = links.compactMap { link -> KeyDirectory.StreetKey? in
            guard let key = link["key"] as? String else { return nil }
            return KeyDirectory.StreetKey(key: key, endorsement: (link["endorsement"] as? String).flatMap(Base64URL.decode))
        }
        guard chain.count == links.count, chain.last?.key == signing.publicKey else {
            throw SyncSetupError("街道签名密钥 \(url.path) 里的公钥链与私钥不符（文件可能被改动过）。请从备份恢复它。")
        }
        return StreetKey(signing: signing, chain: chain)
    }

    /// A single central's key in its folder, made there the first time a central of the
    /// previous release is started by this one.
    public static func loadOrCreate(in folder: URL) throws -> (key: StreetKey, made: Bool) {
        let url = url(in: folder)
        if FileManager.default.fileExists(atPath: url.path) { return (try load(from: url), false) }
        return (try create(at: url), true)
    }

    /// A new key, endorsed by this one, written over the file (the old private key goes:
    /// what it signed stays valid, since every replica keeps the chain).
    public func rotated(at url: URL) throws -> StreetKey {
        let next = SigningKey()
        let key = StreetKey(signing: next, chain: chain + [KeyDirectory.endorse(next.publicKey, with: signing)])
        try key.write(to: url)
        return key
    }

    private func write(to url: URL) throws {
        var text = "{\"private\":\"\(signing.base64)\",\"chain\":["
        text += chain.map { link in
            "{\"key\":\"\(link.key)\"" + (link.endorsement.map { ",\"endorsement\":\"\(Base64URL.encode($0))\"" } ?? "") + "}"
        }.joined(separator: ",")
        text += "]}\n"
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).new")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]),
              rename(temporary.path, url.path) == 0
        else {
            try? FileManager.default.removeItem(at: temporary)
            throw SyncSetupError("无法写入街道签名密钥 \(url.path)，请检查目录权限。")
        }
    }
}
