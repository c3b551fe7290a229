import YishiTrust

/// What the central remembers of its stations, wherever it keeps it: `StationRegistry` in
/// a SQLite file beside a single central, or the PostgreSQL registry that several central
/// processes share (YishiPostgres). The sync endpoints, the office desk and the commands
/// ask this, so they behave the same on either.
public protocol StationDirectory: Sendable {
    /// Enrolls a station, gives it a new key, or moves it to a new box (EnrollmentRule).
    func enroll(id: String, community: String, publicKey: String, newBox: Bool, now: Int64) async throws -> StationRegistry.Enrollment
    func revoke(id: String) async throws
    func station(_ id: String) async throws -> StationRegistry.Station?
    func stations() async throws -> [StationRegistry.Station]
    /// The replica ids of the station's former boxes, oldest first.
    func formerReplicas(of id: String) async throws -> [String]
    /// The keys the station no longer uses: a request signed by one is refused as such.
    func retiredKeys(of id: String) async throws -> [String]
    /// Takes a request's sequence if it is higher than any the station used before; false
    /// for a replay, across every central process.
    func claim(sequence: UInt64, for id: String) async throws -> Bool
    /// Notes an authenticated request: when, and how far the station's clock is off.
    func record(contact time: Int64, stationTime: Int64, for id: String) async throws
    /// Raises the station's pull cursor (for its lag) to at least `cursor`.
    func record(cursor: UInt64, for id: String) async throws
    /// What `community`'s directory of keys is made of.
    func keyHolders(of community: String) async throws -> KeyHolders
    /// The serial of the directories as they stand: it rises with every change they show.
    func directorySerial() async throws -> UInt64
    /// Records that `origin` pushed unsigned ops (the previous release), unless it signs.
    @discardableResult func noteUnsigned(_ origin: String) async throws -> Bool
    /// Records, once, that `origin` signs, its ops up to `legacyThrough` written before.
    @discardableResult func noteSigning(_ origin: String, legacyThrough: UInt64) async throws -> Bool
    /// Raises the serial for a change the registry does not hold (a new street key).
    func raiseSerial() async throws
    /// For every box that pushed before it signed: what it wrote so (`KeyDirectory.Legacy`).
    /// A box not named has signed from its first op.
    func legacyOrigins() async throws -> [String: KeyDirectory.Legacy]
}

extension StationRegistry: StationDirectory {}
