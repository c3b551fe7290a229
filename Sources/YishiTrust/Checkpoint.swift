import YishiMerge

/// An origin's key (or the street's) vouching for the origin's ops up to `counter`: its
/// signature over the chain's head there. One signature covers any number of ops, so
/// signing costs one Ed25519 operation per batch, not per op.
public struct Checkpoint: Hashable, Sendable {
    public var origin: ReplicaID
    public var counter: UInt64
    public var head: [UInt8]
    public var key: KeyID
    public var signature: [UInt8]

    public init(origin: ReplicaID, counter: UInt64, head: [UInt8], key: KeyID, signature: [UInt8]) {
        self.origin = origin
        self.counter = counter
        self.head = head
        self.key = key
        self.signature = signature
    }

    /// Signs `head`, the chain's head after `origin`'s op `counter`.
    public init(origin: ReplicaID, counter: UInt64, head: [UInt8], signedBy key: SigningKey) {
        self.init(origin: origin, counter: counter, head: head, key: key.id,
                  signature: key.sign(Self.message(origin: origin, counter: counter, head: head)))
    }

    /// What is signed. The first line keeps it apart from everything else these keys sign
    /// (a sync request begins with `POST`, a directory with its own line).
    static func message(origin: ReplicaID, counter: UInt64, head: [UInt8]) -> [UInt8] {
        Array("yishi-checkpoint v1\n\(origin.rawValue)\n\(counter)\n\(Base64URL.encode(head))".utf8)
    }

    /// Whether `publicKey` made this signature.
    public func isSigned(by publicKey: String) -> Bool {
        PublicKey.verify(publicKey, signature: signature, message: Self.message(origin: origin, counter: counter, head: head))
    }
}

/// What vouches for one run of an origin's ops in a batch (consecutive counters from
/// `from`): the chain's head before the run, which the receiver may not hold (a bundle
/// made for another replica starts where that one stood), and the checkpoints that fall
/// in the run, the last at its end. A signature over the last head binds the head before
/// too: no other start and other ops hash to the same head.
public struct RunProof: Hashable, Sendable {
    public var origin: ReplicaID
    public var from: UInt64
    /// The head after op `from − 1`; nil for a run from the origin's first op.
    public var before: [UInt8]?
    public var checkpoints: [Checkpoint]

    public init(origin: ReplicaID, from: UInt64, before: [UInt8]?, checkpoints: [Checkpoint]) {
        self.origin = origin
        self.from = from
        self.before = before
        self.checkpoints = checkpoints
    }
}
