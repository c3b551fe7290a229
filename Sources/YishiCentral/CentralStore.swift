import Foundation
import YishiMerge
import YishiStore

/// Where the central keeps what stations push and pull: the SQLite replica of a single
/// central (CentralNode), or the PostgreSQL database several central processes share
/// (YishiPostgres). The sync endpoints ask only this, so a station gets the same answers
/// from either, and from any process behind the balancer.
public protocol CentralStore: Sendable {
    var stations: any StationDirectory { get }
    /// Stores the ops not held yet, each once; returns how many were held already.
    func store(_ ops: [Op]) async throws -> Int
    /// Journal lines of `scope`'s ops that arrived after `cursor`, not made by `excluding`,
    /// oldest first; the cursor after them; and whether more follow.
    func arrivals(after cursor: UInt64, scope: String, excluding: ReplicaID?, limit: Int) async throws
        -> (lines: [String], cursor: UInt64, more: Bool)
    /// How many of `scope`'s ops arrived after `cursor`.
    func arrivalCount(after cursor: UInt64, scope: String) async throws -> UInt64
    /// How many of `origin`'s ops are held without a gap.
    func held(of origin: ReplicaID) async throws -> UInt64
    /// Ops of the station's community, made elsewhere, that it has not pulled yet.
    func lag(of station: StationRegistry.Station) async throws -> Int
    /// What `/healthz` adds after `ok`, or throws `CentralUnavailable` when the store
    /// cannot serve.
    func health() async throws -> String
}

/// The store cannot serve now (its database does not answer): the request gets 503 with
/// this message, nothing of it is kept, and the station retries later.
public struct CentralUnavailable: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

extension CentralNode: CentralStore {
    public var stations: any StationDirectory { registry }

    public func store(_ ops: [Op]) async throws -> Int {
        try await offloaded { try replica.receive(ops).duplicates }
    }

    public func arrivals(after cursor: UInt64, scope: String, excluding: ReplicaID?, limit: Int) async throws
        -> (lines: [String], cursor: UInt64, more: Bool)
    {
        try await offloaded { try replica.arrivals(after: cursor, scopes: [scope], excluding: excluding, limit: limit) }
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
}
