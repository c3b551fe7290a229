import YishiStore
import YishiTrust

/// What the office desk and the public board read and write at the central, wherever the
/// records are kept: a single central's data folder (CentralNode), or one process's view
/// of the database several processes share (SharedCentral, YishiPostgres). The desk's
/// pages are synchronous code that runs on threads of their own (offloadedDesk), never on
/// the event loop, so these calls may wait for a database.
public protocol OfficeCentral: Sendable {
    /// The records every page reads and every office write goes into.
    var replica: Replica { get }
    /// The communities the central knows: from enrolled stations and from the records.
    func communities() throws -> [String]
    func stationList() throws -> [StationRegistry.Station]
    func station(_ id: String) throws -> StationRegistry.Station?
    /// Every station's former boxes, oldest first, by station: in one read, as the 站点
    /// page lists every station.
    func formerReplicas() throws -> [String: [String]]
    /// Every station's lag by its id (of one community's stations, if given): ops of its
    /// community made elsewhere that it has not pulled yet.
    func lags(of community: String?) throws -> [String: Int]
    func enroll(id: String, community: String, publicKey: String, newBox: Bool) throws -> StationRegistry.Enrollment
    func revoke(id: String) throws
    /// True while the records are being brought up to date in bulk (a new process's view
    /// catching up with the database): figures computed then would be stale seconds later.
    var catchingUp: Bool { get }
    /// The street's public key stations pin (`yishi setup station`, `yishi trust pin`).
    var streetPublicKey: String { get }
    /// Which boxes pushed before they signed (see `StationDirectory.legacyOrigins`).
    func legacyOrigins() throws -> [String: KeyDirectory.Legacy]
    /// Ops of the shared log this process's view set aside, with their community and why.
    func quarantined() throws -> [(dot: String, scope: String, reason: String)]
}

extension CentralNode: OfficeCentral {
    public func stationList() throws -> [StationRegistry.Station] { try registry.stations() }
    public func station(_ id: String) throws -> StationRegistry.Station? { try registry.station(id) }
    public func formerReplicas() throws -> [String: [String]] { try registry.formerReplicasByStation() }

    public func lags(of community: String?) throws -> [String: Int] {
        var lags: [String: Int] = [:]
        for station in try registry.stations() where community == nil || station.community == community {
            lags[station.id] = try lag(of: station)
        }
        return lags
    }

    public func enroll(id: String, community: String, publicKey: String, newBox: Bool) throws -> StationRegistry.Enrollment {
        try registry.enroll(id: id, community: community, publicKey: publicKey, newBox: newBox)
    }

    public func revoke(id: String) throws { try registry.revoke(id: id) }

    public var streetPublicKey: String { street.pinnedKey }

    public func legacyOrigins() throws -> [String: KeyDirectory.Legacy] { try registry.legacyOrigins() }

    /// A single central applies every op before it keeps it: nothing is ever set aside.
    public func quarantined() throws -> [(dot: String, scope: String, reason: String)] { [] }

    /// A single central's records are its own folder's: there is never a backlog to apply.
    public var catchingUp: Bool { false }
}
