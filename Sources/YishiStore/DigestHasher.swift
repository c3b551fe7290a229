import Crypto

/// SHA-256 over canonical lines, each ended by a newline: the one form `yishi digest` and
/// `yishi digest --scope` hash, so the in-memory model can reproduce either.
struct DigestHasher {
    private var hasher = SHA256()

    mutating func feed(_ line: String) {
        hasher.update(data: Array(line.utf8))
        hasher.update(data: [0x0A])
    }

    func hex() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
