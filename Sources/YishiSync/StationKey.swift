import Crypto
import Foundation
import YishiTrust

/// A station's signing key (Ed25519), made by `yishi init` and kept in the data directory
/// readable by its owner only. The central knows the public half from enrollment.
public struct StationKey: Sendable {
    public static let fileName = "station.key"
    /// The key `yishi key rotate` made, waiting to be enrolled. Until the central holds it,
    /// requests carry both signatures; the first answer that says the new one was taken
    /// makes it the station's key (`promoteNext`).
    public static let nextFileName = "station.key.next"

    let privateKey: Curve25519.Signing.PrivateKey

    /// The same key as it signs checkpoints over the station's ops (YishiTrust).
    public var signing: SigningKey { SigningKey(privateKey) }

    public static func create(in directory: URL) throws -> StationKey {
        try write(StationKey(privateKey: Curve25519.Signing.PrivateKey()), to: directory.appendingPathComponent(fileName))
    }

    /// Makes the next key, or returns the one already waiting (rotating twice before the
    /// office enrolled the first would strand it).
    public static func createNext(in directory: URL) throws -> (key: StationKey, isNew: Bool) {
        if let waiting = try loadNext(from: directory) { return (waiting, false) }
        return (try write(StationKey(privateKey: Curve25519.Signing.PrivateKey()), to: directory.appendingPathComponent(nextFileName)), true)
    }

    public static func loadNext(from directory: URL) throws -> StationKey? {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(nextFileName).path) else { return nil }
        return try load(from: directory, name: nextFileName)
    }

    /// The central now holds the next key: it replaces the old one, in one rename.
    public static func promoteNext(in directory: URL) throws {
        let next = directory.appendingPathComponent(nextFileName).path, current = directory.appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: next) else { return }
        guard rename(next, current) == 0 else { throw SyncSetupError("无法把新密钥 \(next) 改名为 \(current)：\(String(cString: strerror(errno)))。") }
    }

    private static func write(_ key: StationKey, to url: URL) throws -> StationKey {
        let text = key.privateKey.rawRepresentation.base64EncodedString() + "\n"
        guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SyncSetupError("无法写入密钥文件 \(url.path)，请检查目录权限。")
        }
        return key
    }

    public static func load(from directory: URL, name: String = fileName) throws -> StationKey {
        let path = directory.appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path),
              let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw SyncSetupError("找不到或读不懂站点密钥 \(path)。它由 yishi init 生成；请从备份恢复，或重新生成后请街道重新登记本站公钥。") }
        return StationKey(privateKey: key)
    }

    /// What the central enrolls: `yishi key` prints it.
    public var publicKeyText: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }

    func signature(for message: [UInt8]) -> String {
        (try? privateKey.signature(for: message))?.base64EncodedString() ?? ""
    }

    public static func verify(publicKey text: String, signature: String, message: [UInt8]) -> Bool {
        guard let raw = Data(base64Encoded: text), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
              let signature = Data(base64Encoded: signature)
        else { return false }
        return key.isValidSignature(signature, for: message)
    }

    public static func isValidPublicKey(_ text: String) -> Bool {
        Data(base64Encoded: text).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) } != nil
    }
}

/// Something about a station's or the central's setup that a person must fix.
public struct SyncSetupError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
