import YishiTrust

/// What a community's directory of keys is made of, as a registry holds it: each box of
/// each station (its current one and its former ones) with the keys it has had, and what it
/// wrote before it signed. `CentralDirectory` turns it into the signed directory.
public struct KeyHolders: Sendable, Equatable {
    public var serial: UInt64
    public var boxes: [Box]

    public struct Box: Sendable, Equatable {
        public var origin: String
        public var station: String
        public var keys: [Key]
        /// nil: the box has signed from its first op.
        public var legacy: KeyDirectory.Legacy?

        public init(origin: String, station: String, keys: [Key], legacy: KeyDirectory.Legacy?) {
            self.origin = origin
            self.station = station
            self.keys = keys
            self.legacy = legacy
        }
    }

    public struct Key: Sendable, Equatable {
        public var publicKey: String
        /// The key the box signs with now; a retired or revoked one vouches only for what the
        /// central holds signed by it.
        public var current: Bool

        public init(publicKey: String, current: Bool) {
            self.publicKey = publicKey
            self.current = current
        }
    }

    public init(serial: UInt64, boxes: [Box]) {
        self.serial = serial
        self.boxes = boxes
    }
}
