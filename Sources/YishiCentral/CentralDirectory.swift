import Foundation
import Synchronization
import YishiMerge
import YishiTrust

/// The directory of origins and keys the central hands each community's stations, signed by
/// the street's key (YishiTrust.KeyDirectory): made from the registry (`KeyHolders`) and, for
/// a key retired or revoked, from what the central holds signed by it — a key vouches for
/// nothing past its last checkpoint here, so once the office retires it, nothing it signs
/// later is taken anywhere.
public final class CentralDirectory: Sendable {
    public let street: StreetKey
    let stations: any StationDirectory
    /// The highest counter of `origin` the central holds a checkpoint for signed by `key`.
    let reach: @Sendable (String, KeyID) async throws -> UInt64
    private let made = Mutex<[String: Made]>([:])

    struct Made {
        var serial: UInt64
        var directory: KeyDirectory
        var signed: SignedDirectory
    }

    public init(street: StreetKey, stations: any StationDirectory, reach: @escaping @Sendable (String, KeyID) async throws -> UInt64) {
        self.street = street
        self.stations = stations
        self.reach = reach
    }

    /// `community`'s directory, made again when the registry's serial moved. Every push and
    /// pull asks, so the serial is read each time (one small query): a revocation made by
    /// another process, or on the command line, holds from the next request on.
    public func directory(for community: String) async throws -> (directory: KeyDirectory, signed: SignedDirectory) {
        let serial = try await stations.directorySerial()
        if let kept = made.withLock({ $0[community] }), kept.serial == serial { return (kept.directory, kept.signed) }
        let directory = try await make(community)
        let signed = directory.signed(with: street.signing)
        made.withLock { $0[community] = Made(serial: directory.serial, directory: directory, signed: signed) }
        return (directory, signed)
    }

    /// Several communities' directories, the serial read once (a view's page of the log).
    public func directories(for communities: [String]) async throws -> [String: KeyDirectory] {
        let serial = try await stations.directorySerial()
        var found: [String: KeyDirectory] = [:]
        for community in communities {
            if let kept = made.withLock({ $0[community] }), kept.serial == serial {
                found[community] = kept.directory
                continue
            }
            let directory = try await make(community)
            made.withLock { $0[community] = Made(serial: directory.serial, directory: directory, signed: directory.signed(with: street.signing)) }
            found[community] = directory
        }
        return found
    }

    /// Forgets what was made (a push just changed what a box signs).
    public func forget(_ community: String) {
        made.withLock { $0[community] = nil }
    }

    func make(_ community: String) async throws -> KeyDirectory {
        let holders = try await stations.keyHolders(of: community)
        var origins: [KeyDirectory.Origin] = []
        for box in holders.boxes {
            guard let origin = ReplicaID(rawValue: box.origin) else { continue }
            var keys: [KeyDirectory.Key] = []
            for key in box.keys {
                keys.append(KeyDirectory.Key(key: key.publicKey, through: key.current ? nil : try await reach(box.origin, KeyID(publicKey: key.publicKey))))
            }
            origins.append(KeyDirectory.Origin(origin: origin, keys: keys, legacy: box.legacy))
        }
        return KeyDirectory(community: community, serial: holders.serial, street: street.chain, origins: origins)
    }
}
