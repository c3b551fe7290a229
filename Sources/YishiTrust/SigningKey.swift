import Crypto
import Foundation

/// An Ed25519 key that signs checkpoints (a station's key, the street's key) with the
/// short id that names it in a checkpoint.
public struct SigningKey: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(_ privateKey: Curve25519.Signing.PrivateKey = Curve25519.Signing.PrivateKey()) {
        self.privateKey = privateKey
    }

    /// The base64 of the raw private key, as key files hold it; nil when it is not one.
    public init?(base64 text: String) {
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { return nil }
        privateKey = key
    }

    public var base64: String { privateKey.rawRepresentation.base64EncodedString() }

    /// The public half as it is enrolled and printed (base64 of the 32 raw bytes).
    public var publicKey: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }

    public var id: KeyID { KeyID(publicKey: publicKey) }

    public func sign(_ message: [UInt8]) -> [UInt8] {
        // Signing fails only when the system cannot give randomness; an empty signature
        // then verifies against nothing, so nothing unsigned passes for signed.
        ((try? privateKey.signature(for: message)).map { Array($0) }) ?? []
    }
}

/// A short name for a public key (the first six bytes of its SHA-256, base64url): a
/// checkpoint says which key signed it without carrying the key, and the verifier looks the
/// key up in the directory. Two keys sharing an id would only make it try both.
public struct KeyID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(publicKey: String) {
        let raw = Data(base64Encoded: publicKey) ?? Data(publicKey.utf8)
        rawValue = Base64URL.encode(Array(SHA256.hash(data: raw).prefix(6)))
    }

    public var description: String { rawValue }
}

public enum PublicKey {
    /// Whether `signature` is the key's signature of `message`; false for a key or a
    /// signature that is not well formed.
    public static func verify(_ publicKey: String, signature: [UInt8], message: [UInt8]) -> Bool {
        guard let raw = Data(base64Encoded: publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { return false }
        return key.isValidSignature(signature, for: message)
    }

    public static func isValid(_ publicKey: String) -> Bool {
        Data(base64Encoded: publicKey).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) } != nil
    }
}

/// Hashes and signatures in text: base64url without padding (43 and 86 characters), which
/// needs no escaping in JSON, file names or URLs.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !standard.contains("=") else { return nil }
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }
}
