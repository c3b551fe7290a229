import Crypto

/// The content hash that identifies an op's canonical line.
enum SHA256Hex {
    static func hash(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
}
