import Foundation
import YishiMerge
import YishiStore

/// The sync protocol's bodies (see PROTOCOL.md). Request and response bodies are gzipped
/// JSON Lines; ops travel as their journal lines inside a bundle, so the same checks guard
/// an import from a USB stick and a push over the network.
public enum WireFormat {
    public static let pushPath = "/v1/push"
    public static let pullPath = "/v1/pull"
    /// A push carries at most this many ops …
    public static let maxOpsPerBatch = 2_000
    /// … and at most this many bytes before compression.
    public static let maxBatchBytes = 1_000_000
    /// What the central accepts after decompression.
    public static let maxBodyBytes = 8_000_000

    /// The central's answer to a push.
    public struct PushReceipt: Codable, Sendable {
        /// The station's ops are stored up to this counter.
        public var acknowledged: UInt64
        public var stored: Int
        public var duplicates: Int
        /// The central's clock in milliseconds, for showing skew.
        public var time: Int64

        public init(acknowledged: UInt64, stored: Int, duplicates: Int, time: Int64) {
            self.acknowledged = acknowledged
            self.stored = stored
            self.duplicates = duplicates
            self.time = time
        }
    }

    public struct PullRequest: Codable, Sendable {
        public var cursor: UInt64
        public var limit: Int

        public init(cursor: UInt64, limit: Int) {
            self.cursor = cursor
            self.limit = limit
        }
    }

    /// First line of a pull answer; the bundle of ops follows.
    public struct PullHeader: Codable, Sendable {
        public var cursor: UInt64
        public var more: Bool
        public var time: Int64

        public init(cursor: UInt64, more: Bool, time: Int64) {
            self.cursor = cursor
            self.more = more
            self.time = time
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
