import Foundation
import YishiMerge
import YishiStore
import YishiTrust

/// Where the central keeps what stations push and pull: the SQLite replica of a single
/// central (CentralNode), or the PostgreSQL database several central processes share
/// (YishiPostgres). The sync endpoints ask only this, so a station gets the same answers
/// from either, and from any process behind the balancer.
public protocol CentralStore: Sendable {
    var stations: any StationDirectory { get }
    /// Stores a station's ops not held yet, each once, after checking them as every replica
    /// checks what it takes (their proofs against `directory`, the rules of origin); runs of
    /// the origins in `attesting` that carry no checkpoint are attested with `street` first.
    /// Returns how many were held already.
    func store(_ ops: [Op], proofs: [RunProof], directory: KeyDirectory, street: SigningKey, attesting: Set<ReplicaID>) async throws -> Int
    /// Journal lines of `scope`'s ops that arrived after `cursor`, not made by `excluding`,
    /// oldest first, with their dots; the cursor after them; and whether more follow.
    func arrivals(after cursor: UInt64, scope: String, excluding: ReplicaID?, limit: Int) async throws -> Arrivals
    /// How many of `scope`'s ops arrived after `cursor`.
    func arrivalCount(after cursor: UInt64, scope: String) async throws -> UInt64
    /// How many of `origin`'s ops are held without a gap.
    func held(of origin: ReplicaID) async throws -> UInt64
    /// Ops of the station's community, made elsewhere, that it has not pulled yet.
    func lag(of station: StationRegistry.Station) async throws -> Int
    /// What `/healthz` adds after `ok`, or throws `CentralUnavailable` when the store
    /// cannot serve.
    func health() async throws -> String
    /// Proofs of runs of a pull's answer: each run's stored checkpoint at its end when its
    /// key may still vouch there, else the street's attestation.
    func proofs(for runs: [(origin: ReplicaID, from: UInt64, to: UInt64)], directory: KeyDirectory, street: SigningKey) async throws -> [RunProof]
    /// A checkpoint at each head a station asked about (`origin`, counter), where the
    /// central holds that op: its own stored one, or the street's attestation.
    func attestations(for heads: [(origin: ReplicaID, counter: UInt64)], directory: KeyDirectory, street: SigningKey) async throws -> [Checkpoint]
    /// The highest counter of `origin` for which a checkpoint signed by `key` is held (0: none).
    func checkpointReach(origin: String, key: KeyID) async throws -> UInt64
}

/// A pull's ops, as the store found them.
public struct Arrivals: Sendable {
    public var lines: [String]
    public var dots: [Dot]
    public var cursor: UInt64
    public var more: Bool

    public init(lines: [String], dots: [Dot], cursor: UInt64, more: Bool) {
        self.lines = lines
        self.dots = dots
        self.cursor = cursor
        self.more = more
    }
}

/// The store cannot serve now (its database does not answer): the request gets 503 with
/// this message, nothing of it is kept, and the station retries later.
public struct CentralUnavailable: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

extension CentralNode: CentralStore {
    public var stations: any StationDirectory { registry }

    public func store(_ ops: [Op], proofs: [RunProof], directory: KeyDirectory, street: SigningKey, attesting: Set<ReplicaID>) async throws -> Int {
        try await offloaded {
            try replica.receivePush(ops, proofs: proofs, directory: directory, street: street, attesting: attesting).duplicates
        }
    }

    public func arrivals(after cursor: UInt64, scope: String, excluding: ReplicaID?, limit: Int) async throws -> Arrivals {
        try await offloaded {
            let found = try replica.arrivals(after: cursor, scopes: [scope], excluding: excluding, limit: limit)
            return Arrivals(lines: found.lines, dots: found.dots, cursor: found.cursor, more: found.more)
        }
    }

    public func arrivalCount(after cursor: UInt64, scope: String) async throws -> UInt64 {
        try await offloaded { try replica.arrivalCount(after: cursor, scopes: [scope]) }
    }

    public func held(of origin: ReplicaID) async throws -> UInt64 {
        try await offloaded { try replica.counter(of: origin) }
    }

    public func lag(of station: StationRegistry.Station) async throws -> Int {
        try await offloaded { try lag(of: station) as Int }
    }

    public func health() async throws -> String { "" }

    public func proofs(for runs: [(origin: ReplicaID, from: UInt64, to: UInt64)], directory: KeyDirectory, street: SigningKey) async throws -> [RunProof] {
        try await offloaded { try replica.proofs(for: runs, directory: directory, street: street) }
    }

    public func attestations(for heads: [(origin: ReplicaID, counter: UInt64)], directory: KeyDirectory, street: SigningKey) async throws -> [Checkpoint] {
        try await offloaded {
            try replica.proofs(for: heads.map { ($0.origin, $0.counter + 1, $0.counter) }, directory: directory, street: street)
                .flatMap(\.checkpoints)
        }
    }

    public func checkpointReach(origin: String, key: KeyID) async throws -> UInt64 {
        try await offloaded { try replica.checkpointReach(origin: origin, key: key) }
    }
}
