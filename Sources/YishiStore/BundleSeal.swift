import Crypto
import Foundation
import YishiMerge
import YishiTrust

/// The exporting replica's signature over a bundle file, its last line: with it, any byte of
/// the file changed on the stick — a value, a header field, a line dropped — is refused at
/// import, not only the ops' own (their proofs vouch for those). Files only: what travels on
/// the wire is inside a signed request over TLS.
public struct BundleSeal: Sendable, Equatable {
    /// The replica that exported the file.
    public var origin: ReplicaID
    /// One signature per key it signed with (a station rotating its key signs with both).
    public var signatures: [(key: KeyID, signature: [UInt8])]
    /// SHA-256 of every byte before the seal's line.
    public var digest: [UInt8]

    static let prefix = Array("{\"seal\":".utf8)

    /// The file's bytes with the seal's line after them.
    public static func sealed(_ bytes: [UInt8], origin: ReplicaID, signers: [SigningKey]) -> [UInt8] {
        let message = message(digest: Array(SHA256.hash(data: bytes)))
        let signatures = signers.map { "{\"key\":\(JSONText.quote($0.id.rawValue)),\"signature\":\"\(Base64URL.encode($0.sign(message)))\"}" }
        return bytes + Array("{\"seal\":{\"origin\":\"\(origin.rawValue)\",\"signatures\":[\(signatures.joined(separator: ","))]}}\n".utf8)
    }

    static func message(digest: [UInt8]) -> [UInt8] { Array("yishi-bundle v1\n\(Base64URL.encode(digest))".utf8) }

    /// The seal a file ends with, and the bytes before it; nil when its last line is no seal.
    static func split(_ bytes: [UInt8]) -> (body: [UInt8], seal: BundleSeal)? {
        guard bytes.last == 0x0A else { return nil }
        let lineStart = bytes[..<(bytes.count - 1)].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = bytes[lineStart..<(bytes.count - 1)]
        guard line.starts(with: prefix),
              let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let seal = object["seal"] as? [String: Any],
              let origin = (seal["origin"] as? String).flatMap(ReplicaID.init(rawValue:)),
              let items = seal["signatures"] as? [[String: Any]]
        else { return nil }
        var signatures: [(KeyID, [UInt8])] = []
        for item in items {
            guard let key = item["key"] as? String, let signature = (item["signature"] as? String).flatMap(Base64URL.decode) else { return nil }
            signatures.append((KeyID(rawValue: key), signature))
        }
        let body = Array(bytes[..<lineStart])
        return (body, BundleSeal(origin: origin, signatures: signatures, digest: Array(SHA256.hash(data: body))))
    }

    /// Whether a key the exporting replica has had (or the street's) made the seal. A seal
    /// says when it was made no more than a file does, so a retired key's counts too: what it
    /// guards is the file's bytes, while every op inside still needs a checkpoint its key
    /// could sign there.
    func holds(under directory: KeyDirectory) -> Bool {
        let message = Self.message(digest: digest)
        return signatures.contains { key, signature in
            directory.publicKeys(named: key, for: origin, at: .max, evenRetired: true).contains {
                PublicKey.verify($0, signature: signature, message: message)
            }
        }
    }

    public static func == (lhs: BundleSeal, rhs: BundleSeal) -> Bool {
        lhs.origin == rhs.origin && lhs.digest == rhs.digest && lhs.signatures.map(\.key) == rhs.signatures.map(\.key)
            && lhs.signatures.map(\.signature) == rhs.signatures.map(\.signature)
    }
}
