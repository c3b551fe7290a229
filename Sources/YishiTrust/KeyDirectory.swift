import Foundation
import YishiMerge

/// Who may sign for whom in one community, as the street publishes it: the street's keys
/// (each endorsed by the one before, so a replica that pinned the first accepts the rest),
/// and for every station box of the community its keys, each until the counter where the
/// office retired or revoked it. The central builds it from its registry, signs it with the
/// street's key, and hands it to every station on sync; bundles carry it, so a station that
/// has not synced since another box was enrolled can still verify that box's ops.
public struct KeyDirectory: Hashable, Sendable {
    public var community: String
    /// Rises with every change at the office (enrollment, revocation, a box that begins to
    /// sign): a replica keeps the highest it has seen and never goes back to an older one,
    /// so an old directory on a stick cannot bring a revoked key back.
    public var serial: UInt64
    /// Oldest first; every key after the first carries the previous key's endorsement.
    public var street: [StreetKey]
    public var origins: [Origin]

    public struct StreetKey: Hashable, Sendable {
        public var key: String
        /// The previous street key's signature of this one (nil for the first).
        public var endorsement: [UInt8]?

        public init(key: String, endorsement: [UInt8]? = nil) {
            self.key = key
            self.endorsement = endorsement
        }

        static func endorsementMessage(_ key: String) -> [UInt8] { Array("yishi-street-key v1\n\(key)".utf8) }
    }

    /// A station's box as an origin of ops.
    public struct Origin: Hashable, Sendable {
        public var origin: ReplicaID
        public var keys: [Key]
        /// Ops the box wrote under the rules before signatures (see `Legacy`); nil: none.
        public var legacy: Legacy?

        public init(origin: ReplicaID, keys: [Key], legacy: Legacy? = nil) {
            self.origin = origin
            self.keys = keys
            self.legacy = legacy
        }
    }

    public struct Key: Hashable, Sendable {
        public var key: String
        /// The last counter this key may vouch for, once retired or revoked; nil while in use.
        public var through: UInt64?

        public init(key: String, through: UInt64? = nil) {
            self.key = key
            self.through = through
        }
    }

    /// What a box wrote before it signed its own ops, which the rules of the time allowed
    /// (a station could record the street's answers then): `unsigned`, a box on the previous
    /// release, all of whose ops the central attests; or `through(n)`, its ops up to `n`.
    public enum Legacy: Hashable, Sendable {
        case unsigned
        case through(UInt64)
    }

    public init(community: String, serial: UInt64, street: [StreetKey], origins: [Origin]) {
        self.community = community
        self.serial = serial
        self.street = street
        self.origins = origins
    }

    /// The public keys that may have made a checkpoint for `origin` at `counter` with the key
    /// named `id`: any street key (the street signs for its own origins and attests others'),
    /// or one of the origin's keys valid there.
    /// `evenRetired`: a key the origin has had vouches there even past its retirement (a
    /// replacement box recovering its own old disk, see `ProvenanceCheck.verify`).
    public func publicKeys(named id: KeyID, for origin: ReplicaID, at counter: UInt64, evenRetired: Bool = false) -> [String] {
        let street = street.map(\.key).filter { KeyID(publicKey: $0) == id }
        guard !origin.isStreet, let entry = entry(origin) else { return street }
        return street + entry.keys.filter { KeyID(publicKey: $0.key) == id && (evenRetired || counter <= ($0.through ?? .max)) }.map(\.key)
    }

    /// Whether a street key made the key named `id` (an attestation, not the origin's own).
    public func isStreetKey(_ id: KeyID) -> Bool { street.contains { KeyID(publicKey: $0.key) == id } }

    public func entry(_ origin: ReplicaID) -> Origin? { origins.first { $0.origin == origin } }

    /// Whether `origin` may write ops for this community: the street's for it, or a box the
    /// directory names.
    public func knows(_ origin: ReplicaID) -> Bool {
        origin.isStreet ? origin.streetCommunity == community : entry(origin) != nil
    }

    /// Whether op `counter` of `origin` was written under the rules before signatures.
    public func isLegacy(_ origin: ReplicaID, counter: UInt64) -> Bool {
        switch entry(origin)?.legacy {
        case .unsigned: true
        case .through(let last): counter <= last
        case nil: false
        }
    }

    /// The newest street key: the one that signs directories and checkpoints now.
    public var streetKey: String? { street.last?.key }
}
