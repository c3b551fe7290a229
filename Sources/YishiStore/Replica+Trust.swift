import Foundation
import GRDB
import YishiMerge
import YishiTrust

/// What a replica trusts to tell its community's ops from forgeries: the street's public key
/// it pinned (at `yishi setup station`, by `yishi trust pin`, or at its first sync with the
/// central over TLS), the newest directory of origins and keys that key signed, and how far
/// its own ops were written before it signed them (KeyDirectory.Legacy).
public struct Trust: Sendable {
    public var street: String?
    public var signedDirectory: SignedDirectory?
    /// The directory, verified against `street`.
    public var directory: KeyDirectory?
    public var legacyThrough: UInt64
}

extension Replica {
    public func trust() throws -> Trust {
        try pool.read { db in try TrustFile.read(db) }
    }

    /// Pins the street's public key. A replica never changes the key it pinned: a new street
    /// key reaches it endorsed by the old one, in a directory.
    public func pinStreetKey(_ key: String) throws {
        guard PublicKey.isValid(key) else {
            throw StoreError(.trust("街道公钥“\(key)”不对：请把街道中心 yishi setup central 打印的（或街道工作台“站点”页上的）那一行完整复制过来。"))
        }
        try pool.write { db in
            var trust = try TrustFile.read(db)
            if let pinned = trust.street {
                guard pinned == key else {
                    throw StoreError(.trust("本站已保存了另一把街道公钥 \(pinned)，没有改动。街道换了密钥时，新密钥由旧密钥签名交接，本站同步时会自动接受；若确实要换成别的街道，请重新设置本站。"))
                }
                return
            }
            trust.street = key
            try TrustFile.write(db, trust, to: directory)
        }
    }

    /// Takes a directory the street signed, if it is newer than the one held; true if it was.
    @discardableResult
    public func adopt(_ signed: SignedDirectory) throws -> Bool {
        try pool.write { db in try TrustFile.adopt(db, signed, in: directory, pinIfNone: false) }
    }
}

/// The trust entries in the replica's `meta` table, mirrored to `trust.json` in the data
/// directory: the journal holds no trust, so a rebuild takes it back from the file.
enum TrustFile {
    static let fileName = "trust.json"
    static let streetKey = "trust_street", directoryKey = "trust_directory", legacyKey = "legacy_through"

    static func read(_ db: Database) throws -> Trust {
        let meta = try Dictionary(uniqueKeysWithValues: Row.fetchAll(
            db, sql: "SELECT key, value FROM meta WHERE key IN (?, ?, ?)", arguments: [streetKey, directoryKey, legacyKey]
        ).map { ($0[0] as String, $0[1] as String) })
        let street = meta[streetKey]
        let signed = meta[directoryKey].flatMap(SignedDirectory.init(jsonText:))
        let directory = street.flatMap { key in signed.flatMap { try? KeyDirectory.open($0, pinned: key) } }
        return Trust(street: street, signedDirectory: signed, directory: directory, legacyThrough: UInt64(meta[legacyKey] ?? "") ?? 0)
    }

    static func write(_ db: Database, _ trust: Trust, to directory: DataDirectory) throws {
        if let street = trust.street { try Replica.setMeta(db, streetKey, street) }
        if let signed = trust.signedDirectory { try Replica.setMeta(db, directoryKey, signed.json) }
        try Replica.setMeta(db, legacyKey, String(trust.legacyThrough))
        var file = "{\"legacyThrough\":\(trust.legacyThrough)"
        if let street = trust.street { file += ",\"street\":\(JSONText.quote(street))" }
        if let signed = trust.signedDirectory { file += ",\"directory\":\(signed.json)" }
        do {
            try Data((file + "}\n").utf8).write(to: directory.url.appendingPathComponent(fileName), options: .atomic)
        } catch {
            throw StoreError(.io(path: directory.url.appendingPathComponent(fileName).path, problem: FileProblem.describe(error)))
        }
    }

    /// Takes `signed` if the pinned key (or, with `pinIfNone`, the key it names, for a
    /// replica that pinned none) signed it and it is newer than the one held. Throws when
    /// a pinned replica is handed a directory its street did not sign.
    @discardableResult
    static func adopt(_ db: Database, _ signed: SignedDirectory, in directory: DataDirectory, pinIfNone: Bool) throws -> Bool {
        var trust = try read(db)
        guard let pinned = trust.street ?? (pinIfNone ? KeyDirectory.firstStreetKey(signed) : nil) else { return false }
        let opened: KeyDirectory
        do {
            opened = try KeyDirectory.open(signed, pinned: pinned)
        } catch {
            throw StoreError(.trust("收到的\(error.description)，没有采用。"))
        }
        if let held = trust.directory, held.serial >= opened.serial {
            guard trust.street == nil else { return false }
        }
        trust.street = pinned
        trust.signedDirectory = signed
        trust.directory = opened
        try write(db, trust, to: directory)
        return true
    }

    /// After a rebuild: the trust the old replica had, from the file.
    static func restore(_ db: Database, from directory: DataDirectory) throws {
        guard let data = FileManager.default.contents(atPath: directory.url.appendingPathComponent(fileName).path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return }
        if let street = object["street"] as? String { try Replica.setMeta(db, streetKey, street) }
        if let signed = SignedDirectory(json: object["directory"]) { try Replica.setMeta(db, directoryKey, signed.json) }
        if let legacy = (object["legacyThrough"] as? NSNumber)?.uint64Value { try Replica.setMeta(db, legacyKey, String(legacy)) }
    }
}
