import Foundation
import YishiMerge
import YishiStore
import YishiTrust

/// A community whose replicas trust one street, for tests that pass bundles between
/// replicas without a central: a street key, a key per station, and the directory the
/// street signs; each replica made here has pinned the street key and holds the directory.
public struct TrustedCommunity: Sendable {
    public let community: String
    public let street: SigningKey
    public let keys: [String: SigningKey]
    public let directory: KeyDirectory

    public init(_ stations: [String], community: String = "HL3", serial: UInt64 = 1) {
        self.community = community
        let street = SigningKey()
        let keys = Dictionary(uniqueKeysWithValues: stations.map { ($0, SigningKey()) })
        self.street = street
        self.keys = keys
        directory = KeyDirectory(community: community, serial: serial, street: [KeyDirectory.StreetKey(key: street.publicKey)],
                                 origins: stations.sorted().map { KeyDirectory.Origin(origin: ReplicaID(rawValue: $0)!, keys: [KeyDirectory.Key(key: keys[$0]!.publicKey)]) })
    }

    public var signed: SignedDirectory { directory.signed(with: street) }

    /// A new replica of station `name` at `directory`, trusting this community's street.
    public func replica(_ name: String, at place: DataDirectory) throws -> Replica {
        let replica = try Replica.create(at: place, replica: name, community: community)
        try trust(replica)
        return replica
    }

    /// Makes `replica` pin this street's key and hold its directory.
    public func trust(_ replica: Replica) throws {
        try replica.pinStreetKey(street.publicKey)
        try replica.adopt(signed)
    }

    /// The keys station `name` signs its exports with.
    public func signers(_ name: String) -> [SigningKey] { keys[name].map { [$0] } ?? [] }
}
