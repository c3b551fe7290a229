import Foundation
import YishiMerge

/// A directory as it travels: its body's exact bytes (a JSON object), which street key
/// signed them, and the signature. Verifying the bytes before reading them means no two
/// readers can disagree about what was signed.
public struct SignedDirectory: Hashable, Sendable {
    public var body: String
    public var key: KeyID
    public var signature: [UInt8]

    public init(body: String, key: KeyID, signature: [UInt8]) {
        self.body = body
        self.key = key
        self.signature = signature
    }

    /// The serial the body names, unverified: only for telling the central which one to
    /// send next, never for trusting it.
    public var claimedSerial: UInt64? { KeyDirectory(bodyJSON: body)?.serial }

    static func message(_ body: String) -> [UInt8] { Array("yishi-directory v1\n".utf8) + Array(body.utf8) }

    /// One line of JSON: a file of its own, or a field of a bundle's header.
    public var json: String {
        "{\"body\":\(JSONText.quote(body)),\"key\":\(JSONText.quote(key.rawValue)),\"signature\":\"\(Base64URL.encode(signature))\"}"
    }

    public init?(json object: Any?) {
        guard let object = object as? [String: Any], let body = object["body"] as? String, let key = object["key"] as? String,
              let signature = (object["signature"] as? String).flatMap(Base64URL.decode)
        else { return nil }
        self.init(body: body, key: KeyID(rawValue: key), signature: signature)
    }

    public init?(jsonText: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(jsonText.utf8)) else { return nil }
        self.init(json: object)
    }
}

extension KeyDirectory {
    /// Signs the directory with the newest street key, which `key` must be.
    public func signed(with key: SigningKey) -> SignedDirectory {
        let body = bodyJSON
        return SignedDirectory(body: body, key: key.id, signature: key.sign(SignedDirectory.message(body)))
    }

    /// The directory a signed one holds, if the street whose key this replica pinned signed
    /// it: the pinned key is in its chain of street keys, every key after it is endorsed by
    /// the one before, and the newest signed the body.
    public static func open(_ signed: SignedDirectory, pinned: String) throws(DirectoryProblem) -> KeyDirectory {
        guard let directory = KeyDirectory(bodyJSON: signed.body) else { throw DirectoryProblem(.malformed) }
        guard let start = directory.street.firstIndex(where: { $0.key == pinned }) else { throw DirectoryProblem(.otherStreet) }
        for index in directory.street.indices.dropFirst() where index > start {
            let link = directory.street[index]
            guard let endorsement = link.endorsement,
                  PublicKey.verify(directory.street[index - 1].key, signature: endorsement, message: StreetKey.endorsementMessage(link.key))
            else { throw DirectoryProblem(.brokenChain) }
        }
        guard let newest = directory.streetKey, KeyID(publicKey: newest) == signed.key,
              PublicKey.verify(newest, signature: signed.signature, message: SignedDirectory.message(signed.body))
        else { throw DirectoryProblem(.badSignature) }
        return directory
    }

    /// The oldest street key a signed directory names, unverified: what a replica that
    /// trusts no street yet pins at its first sync with the central over TLS.
    public static func firstStreetKey(_ signed: SignedDirectory) -> String? {
        KeyDirectory(bodyJSON: signed.body)?.street.first?.key
    }

    /// A new street key, endorsed by the current one, as the last of the chain.
    public static func endorse(_ next: String, with current: SigningKey) -> StreetKey {
        StreetKey(key: next, endorsement: current.sign(StreetKey.endorsementMessage(next)))
    }

    /// The body as signed: keys in a fixed order, so the same directory gives the same bytes.
    var bodyJSON: String {
        var text = "{\"yishi\":\"directory\",\"version\":1,\"community\":\(JSONText.quote(community)),\"serial\":\(serial),\"street\":["
        text += street.map { key in
            "{\"key\":\(JSONText.quote(key.key))" + (key.endorsement.map { ",\"endorsement\":\"\(Base64URL.encode($0))\"" } ?? "") + "}"
        }.joined(separator: ",")
        text += "],\"origins\":["
        text += origins.map { entry in
            var line = "{\"origin\":\(JSONText.quote(entry.origin.rawValue)),\"keys\":["
            line += entry.keys.map { "{\"key\":\(JSONText.quote($0.key))" + ($0.through.map { ",\"through\":\($0)" } ?? "") + "}" }
                .joined(separator: ",")
            line += "]"
            switch entry.legacy {
            case .unsigned: line += ",\"legacy\":\"unsigned\""
            case .through(let last): line += ",\"legacy\":\(last)"
            case nil: break
            }
            return line + "}"
        }.joined(separator: ",")
        return text + "]}"
    }

    init?(bodyJSON: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bodyJSON.utf8)) as? [String: Any],
              object["yishi"] as? String == "directory", object["version"] as? Int == 1,
              let community = object["community"] as? String, let serial = (object["serial"] as? NSNumber)?.uint64Value,
              let streetItems = object["street"] as? [[String: Any]], let originItems = object["origins"] as? [[String: Any]]
        else { return nil }
        var street: [StreetKey] = []
        for item in streetItems {
            guard let key = item["key"] as? String, PublicKey.isValid(key) else { return nil }
            let endorsement = item["endorsement"].map { ($0 as? String).flatMap(Base64URL.decode) }
            if let endorsement, endorsement == nil { return nil }
            street.append(StreetKey(key: key, endorsement: endorsement ?? nil))
        }
        var origins: [Origin] = []
        for item in originItems {
            guard let origin = (item["origin"] as? String).flatMap(ReplicaID.init(rawValue:)),
                  let keyItems = item["keys"] as? [[String: Any]]
            else { return nil }
            var keys: [Key] = []
            for keyItem in keyItems {
                guard let key = keyItem["key"] as? String, PublicKey.isValid(key) else { return nil }
                keys.append(Key(key: key, through: (keyItem["through"] as? NSNumber)?.uint64Value))
            }
            let legacy: Legacy? = switch item["legacy"] {
            case let word as String where word == "unsigned": .unsigned
            case let number as NSNumber: .through(number.uint64Value)
            default: nil
            }
            origins.append(Origin(origin: origin, keys: keys, legacy: legacy))
        }
        guard !street.isEmpty else { return nil }
        self.init(community: community, serial: serial, street: street, origins: origins)
    }
}

/// Why a directory was not taken.
public struct DirectoryProblem: Error, Hashable, Sendable, CustomStringConvertible {
    enum Reason: Hashable, Sendable {
        case malformed, otherStreet, brokenChain, badSignature
    }

    let reason: Reason

    init(_ reason: Reason) { self.reason = reason }

    public var description: String {
        switch reason {
        case .malformed: "站点名录的格式不对（文件可能损坏）"
        case .otherStreet: "站点名录不是本站登记的街道签发的（街道公钥与本站保存的不同）"
        case .brokenChain: "站点名录里街道新旧公钥的交接签名不对"
        case .badSignature: "站点名录的签名不对（内容被改动过，或不是街道签发的）"
        }
    }
}
