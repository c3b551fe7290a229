/// YishiTrust: which origin wrote an op, provably — each origin's ops chained by hash, the
/// checkpoints its key signs over the chain's head, the street's signed directory of origins
/// and their keys, and the check that a batch is exactly what its origins wrote — as values
/// (SHA-256 and Ed25519 from swift-crypto; no file, clock or network).
import Crypto
import YishiMerge

/// An origin's ops form a hash chain in counter order: the head after op `n` is
/// `SHA-256(head after n−1 ‖ SHA-256(op n's canonical line))`, starting from a seed that names
/// the origin. The counters of an origin have no gaps, so the chain needs no link written
/// into the op itself: ops keep their lines (and their digests) exactly as before, and a
/// signature over one head vouches for every op up to it.
public enum OriginChain {
    /// The head before an origin's first op.
    public static func seed(_ origin: ReplicaID) -> [UInt8] {
        bytes(SHA256.hash(data: Array("yishi-chain v1\n\(origin.rawValue)".utf8)))
    }

    /// The head after an op whose canonical line hashes to `opHash`.
    public static func next(_ head: [UInt8], opHash: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: head)
        hasher.update(data: opHash)
        return bytes(hasher.finalize())
    }

    /// The digest that names an op's content: SHA-256 of its canonical line (the replica
    /// stores it with every op and compares it when a dot comes again).
    public static func opHash(_ line: [UInt8]) -> [UInt8] { bytes(SHA256.hash(data: line)) }

    /// The head after a run of ops, from the head before it.
    public static func head(after start: [UInt8], hashes: some Sequence<[UInt8]>) -> [UInt8] {
        hashes.reduce(start) { next($0, opHash: $1) }
    }

    /// The digest's bytes copied in one go (as a sequence, byte by byte, they cost a sixth
    /// of the hashing).
    static func bytes(_ digest: SHA256.Digest) -> [UInt8] { digest.withUnsafeBytes { Array($0) } }
}
