import Crypto

/// The content hash that identifies an op's canonical line.
enum SHA256Hex {
    /// The digest's bytes copied in one go (as a sequence, byte by byte, they cost a sixth of the hashing).
    static func hash(_ bytes: [UInt8]) -> [UInt8] { SHA256.hash(data: bytes).withUnsafeBytes { Array($0) } }
}
