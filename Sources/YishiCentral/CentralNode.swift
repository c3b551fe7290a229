import Foundation
import YishiMerge
import YishiStore
import YishiSync

/// The central node's data directory: the replica holding every station's records (with
/// its arrival log, which stations pull from) and the station registry beside it.
public struct CentralNode: Sendable {
    public static let replicaID = "central"

    public let replica: Replica
    public let registry: StationRegistry
    /// The street's signing key, in the central's folder (`street.key`).
    public let street: StreetKey

    /// A new central's folder: its replica, its registry and the street's signing key.
    public static func create(at directory: DataDirectory) throws -> CentralNode {
        let replica = try Replica.create(at: directory, replica: replicaID, community: replicaID)
        try replica.keepArrivalLog()
        try StreetKey.create(at: StreetKey.url(in: directory.url))
        return try CentralNode(replica: replica)
    }

    public static func open(_ directory: DataDirectory) throws -> CentralNode {
        let replica = try Replica.open(directory, mappedMegabytes: 16_384)
        guard replica.replica.rawValue == replicaID else {
            throw SyncSetupError("\(directory.url.path) 是站点 \(replica.replica) 的数据目录，不是中心的。请用 yishi central init 建立中心数据目录。")
        }
        return try CentralNode(replica: replica)
    }

    /// The communities the central knows: from enrolled stations and from the records.
    public func communities() throws -> [String] {
        Set(try registry.stations().map(\.community) + (try replica.scopes())).subtracting([Self.replicaID]).sorted()
    }

    /// Ops of the station's community, made elsewhere, that it has not pulled yet.
    public func lag(of station: StationRegistry.Station) throws -> Int {
        try replica.arrivalCount(after: station.cursor, scope: station.community, excluding: ReplicaID(rawValue: station.replica))
    }

    /// A central made by the release before signatures gets its street key the first time
    /// this one opens it (`madeStreetKey`, so that `central serve` says so).
    init(replica: Replica) throws {
        self.replica = replica
        registry = try StationRegistry(replica.directory.url.appendingPathComponent("stations.sqlite"))
        (street, madeStreetKey) = try StreetKey.loadOrCreate(in: replica.directory.url)
    }

    /// Whether opening this central made its street key (it had none before).
    public let madeStreetKey: Bool
}
