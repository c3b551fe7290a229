import Crypto
import Foundation

/// A station's signing key (Ed25519), made by `yishi init` and kept in the data directory
/// readable by its owner only. The central knows the public half from enrollment.
public struct StationKey: Sendable {
    public static let fileName = "station.key"

    let privateKey: Curve25519.Signing.PrivateKey

    public static func create(in directory: URL) throws -> StationKey {
        let key = StationKey(privateKey: Curve25519.Signing.PrivateKey())
        let path = directory.appendingPathComponent(fileName).path
        let text = key.privateKey.rawRepresentation.base64EncodedString() + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SyncSetupError("无法写入密钥文件 \(path)，请检查目录权限。")
        }
        return key
    }

    public static func load(from directory: URL) throws -> StationKey {
        let path = directory.appendingPathComponent(fileName).path
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
