/// YishiMerge: the causality and merge rules of Yishi — dots, version vectors, ops and the
/// field kinds (register, set, text, per-author entry, workflow status) — as pure values.
/// Nothing here touches a file, a clock or the network, so every law can be tested directly.

/// The stable name of one replica (a station, or the central node).
///
/// Restricted to ASCII letters, digits, `.`, `_` and `-` because it appears inside dots
/// (`HL3-01:17`), file names and HTTP headers, where anything else would need escaping.
public struct ReplicaID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// A name read from a line's bytes, checked before any string is made.
    init?(utf8 name: UnsafeBufferPointer<UInt8>) {
        guard Self.isValid(utf8: name) else { return nil }
        self.rawValue = String(decoding: name, as: UTF8.self)
    }

    public static func isValid(_ text: String) -> Bool { isValid(utf8: text.utf8) }

    private static func isValid(utf8 bytes: some Collection<UInt8>) -> Bool {
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }
}
