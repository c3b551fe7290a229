import Foundation
import YishiMerge
import YishiStore

/// The sync protocol's bodies (see PROTOCOL.md). Request and response bodies are gzipped
/// JSON Lines; ops travel as their journal lines inside a bundle, so the same checks guard
/// an import from a USB stick and a push over the network.
public enum WireFormat {
    public static let pushPath = "/v1/push"
    public static let pullPath = "/v1/pull"
    public static let helloPath = "/v1/hello"
    /// A push carries at most this many ops …
    public static let maxOpsPerBatch = 2_000
    /// … and at most this many bytes before compression.
    public static let maxBatchBytes = 1_000_000
    /// What the central accepts after decompression.
    public static let maxBodyBytes = 8_000_000
    /// What the central reads of a request as it arrives (compressed), before it can check
    /// the signature: a batch of 1 MB compresses to a fraction of this.
    public static let maxCompressedBodyBytes = 2_000_000
    /// The bundle version of the compact batch form (`CompactOpCodec`), which both sides
    /// announce they read; each still reads version 1 from older peers and files.
    public static let compactWire = 2

    /// The central's answer to a push.
    public struct PushReceipt: Codable, Sendable {
        /// The station's ops are stored up to this counter.
        public var acknowledged: UInt64
        public var stored: Int
        public var duplicates: Int
        /// The central's clock in milliseconds, for showing skew.
        public var time: Int64
        /// `next` when the request was accepted by its second signature: the station's new
        /// key is the enrolled one now (see `RequestSignature.nextSignatureHeader`).
        public var key: String?
        /// `2`: this central reads compact batches (`OpBundle.encodeCompact`). Older: absent.
        public var wire: Int?

        public init(acknowledged: UInt64, stored: Int, duplicates: Int, time: Int64, key: String? = nil, wire: Int? = WireFormat.compactWire) {
            self.acknowledged = acknowledged
            self.stored = stored
            self.duplicates = duplicates
            self.time = time
            self.key = key
            self.wire = wire
        }
    }

    public struct PullRequest: Codable, Sendable {
        public var cursor: UInt64
        public var limit: Int
        /// Also send the station's own ops: a station restored from a backup takes back what
        /// it had pushed after the backup was made. Absent (older stations): false.
        public var own: Bool?
        /// `2`: send the ops in the compact form; this station reads it. Older: absent.
        public var wire: Int?
        /// The serial of the street's directory the station holds (0: none): the answer
        /// carries a newer one. Older stations: absent, and they get none.
        public var directory: UInt64?
        /// Heads of origins' chains the station holds that nothing proves yet, by origin:
        /// the answer carries the central's checkpoint at each (`OpBundle.attestations`).
        public var attest: [String: UInt64]?

        public init(cursor: UInt64, limit: Int, own: Bool? = nil, wire: Int? = WireFormat.compactWire) {
            self.cursor = cursor
            self.limit = limit
            self.own = own
            self.wire = wire
        }
    }

    /// First line of a pull answer; the bundle of ops follows.
    public struct PullHeader: Codable, Sendable {
        public var cursor: UInt64
        public var more: Bool
        public var time: Int64
        /// How many of the station's own ops the central holds (its clock's entry for the
        /// station's replica). Lower than what the station was told before means the central
        /// was restored from a backup: the station pushes the rest again. Older centrals: absent.
        public var yours: UInt64?
        public var key: String?
        /// As in `PushReceipt`: this central reads compact batches.
        public var wire: Int?
        /// Where residents open the board (the central's `public_url`): notices printed at
        /// the station carry a QR code of their page there. Absent when none is set.
        public var board: String?
        /// How many ops of the community the central's log holds after `cursor`: a station
        /// pulling weeks of them shows how far it has got. Older centrals: absent.
        public var remaining: UInt64?

        public init(cursor: UInt64, more: Bool, time: Int64, yours: UInt64? = nil, key: String? = nil, wire: Int? = WireFormat.compactWire,
                    board: String? = nil, remaining: UInt64? = nil) {
            self.cursor = cursor
            self.more = more
            self.time = time
            self.yours = yours
            self.key = key
            self.wire = wire
            self.board = board
            self.remaining = remaining
        }
    }

    /// The central's answer to `/v1/hello`: who the station is to it. A replacement box
    /// learns here the replica id it writes under and the former boxes whose unsent ops it
    /// may hand on (recovered from the old disk).
    public struct Hello: Codable, Sendable {
        public struct Former: Codable, Sendable, Equatable {
            public var replica: String
            /// How many of that box's ops the central holds.
            public var have: UInt64

            public init(replica: String, have: UInt64) {
                self.replica = replica
                self.have = have
            }
        }

        public var station: String
        public var community: String
        public var replica: String
        public var former: [Former]
        public var yours: UInt64
        public var time: Int64
        public var key: String?

        public init(station: String, community: String, replica: String, former: [Former], yours: UInt64, time: Int64, key: String? = nil) {
            self.station = station
            self.community = community
            self.replica = replica
            self.former = former
            self.yours = yours
            self.time = time
            self.key = key
        }
    }

    /// An error the central sends back: a message for people and a reason for machines.
    public struct Refusal: Codable, Sendable {
        public var error: String
        public var reason: String

        public init(error: String, reason: String) {
            self.error = error
            self.reason = reason
        }
    }

    public static func json(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        try? JSONDecoder().decode(type, from: Data(bytes))
    }
}
