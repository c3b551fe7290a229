import Foundation
import Synchronization
import YishiCentral
import YishiStore
import YishiTrust

/// The office desk and the public board on a process's view: pages read the view, writes
/// go into it under this process's own origins (read your own writes) and are shipped to
/// the database with the next round of following; stations and enrolments are the
/// database's, shared by every process.
extension SharedCentral: OfficeCentral {
    public func communities() throws -> [String] {
        Set(try stationList().map(\.community) + (try replica.scopes())).subtracting([CentralNode.replicaID]).sorted()
    }

    public func stationList() throws -> [StationRegistry.Station] {
        try waiting { [database] in try await database.stations.stations() }
    }

    public func station(_ id: String) throws -> StationRegistry.Station? {
        try waiting { [database] in try await database.stations.station(id) }
    }

    public func formerReplicas() throws -> [String: [String]] {
        try waiting { [database] in try await database.stations.formerReplicasByStation() }
    }

    public func lags(of community: String?) throws -> [String: Int] {
        try waiting { [log] in try await log.lags(of: community) }
    }

    public func enroll(id: String, community: String, publicKey: String, newBox: Bool) throws -> StationRegistry.Enrollment {
        try waiting { [database] in
            try await database.stations.enroll(id: id, community: community, publicKey: publicKey, newBox: newBox, now: StationRegistry.now)
        }
    }

    public func revoke(id: String) throws {
        try waiting { [database] in try await database.stations.revoke(id: id) }
    }

    public var streetPublicKey: String { street.pinnedKey }

    public func legacyOrigins() throws -> [String: KeyDirectory.Legacy] {
        try waiting { [database] in try await database.stations.legacyOrigins() }
    }
}

/// Waits on this thread for `work`. Only for the desk's page bodies, which are synchronous
/// code over SQLite and run on threads of their own (offloadedDesk), never on an event
/// loop or the cooperative pool, where waiting could starve the very work waited for.
/// Hand-written because it is six lines and no library offers it for this one case.
func waiting<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let outcome = Mutex<Result<T, any Error>?>(nil)
    Task {
        let result: Result<T, any Error>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        outcome.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try outcome.withLock { $0! }.get()
}
