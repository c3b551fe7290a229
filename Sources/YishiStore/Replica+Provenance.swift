import Foundation
import GRDB
import YishiMerge
import YishiTrust

/// Ops from elsewhere are applied only once their origins are proved to have written them
/// (YishiTrust): each run of each origin continues the chain this replica holds and ends at
/// a checkpoint a key of the directory signed. And ops that leave this replica (a push, an
/// export, a pull answered at the central) carry the proofs that let the next one check.
extension Replica {
    /// Applies ops from elsewhere, all or none, after checking them against their proofs
    /// and the directory the street signed (taken from `directory` first, when it is newer
    /// than the one held). A replica that trusts no street yet takes ops from an older
    /// central unchecked, and pins the street key of the first directory a central hands it
    /// when `pinningIfNone` (over TLS, or on this machine). Numbers in `setting` are stored
    /// in the same transaction (a pull's cursor).
    @discardableResult
    ///
    /// A file (`source` a bundle) must carry its exporter's seal (`BundleSeal`), made by a key
    /// the directory lets speak for it.
    public func receive(_ ops: [Op], proofs: [RunProof], directory signed: SignedDirectory?, from source: StoreError.Source,
                        sealedBy seal: BundleSeal? = nil, pinningIfNone: Bool = false, setting numbers: [String: UInt64] = [:],
                        progress: ProgressReport? = nil) throws -> ReceiveReport {
        do {
            return try write { context in
                let db = context.applier.db
                if let signed { try TrustFile.adopt(db, signed, in: directory, pinIfNone: pinningIfNone) }
                let trust = try TrustFile.read(db)
                if let keys = trust.directory {
                    // Recovering this station's own former box's disk (see ProvenanceCheck.verify).
                    let formerBoxes: Set<ReplicaID> = if case .bundle = source {
                        Set(try String.fetchAll(db, sql: "SELECT replica FROM acknowledged WHERE replica <> ?", arguments: [replica.rawValue])
                            .compactMap(ReplicaID.init(rawValue:)))
                    } else { [] }
                    if case .bundle = source {
                        guard let seal else { throw ProvenanceError.unsealed }
                        guard seal.holds(under: keys) else {
                            throw ProvenanceError.badSeal(seal.origin)
                        }
                    }
                    try receive(ops, proofs: proofs, directory: keys, attesting: nil, formerBoxes: formerBoxes, in: &context, progress: progress)
                } else if trust.street == nil, case .central = source {
                    context.applier.originRules?.streetFields = false
                    try context.receive(ops, progress: progress)
                } else {
                    throw ProvenanceError.noDirectory
                }
                for (key, value) in numbers { try Self.setMeta(db, "n:" + key, String(value)) }
                return ReceiveReport(applied: context.applier.tally.applied, held: context.applier.waiting,
                                     duplicates: context.applier.tally.duplicates)
            }
        } catch let error as ProvenanceError {
            throw StoreError(.provenance(error, source: source))
        }
    }

    /// Applies a station's push at the central: checked as `receive(_:proofs:directory:from:)`
    /// checks, against the directory the central makes; runs of the origins in `attesting`
    /// that carry no checkpoint (a box on the previous release, a former box whose ops its
    /// replacement hands on) are attested by the street's key first — the station's signed
    /// request vouches for them — and the attestation is kept with them.
    ///
    /// The check (every op's hash and head, the signatures, an attestation signed) is made
    /// before the write lock is taken, against a snapshot, so that the pushes of many
    /// stations are checked side by side and only applied one after another; under the lock
    /// it is made again only if a head it relied on moved meanwhile.
    @discardableResult
    public func receivePush(_ ops: [Op], proofs: [RunProof], directory: KeyDirectory, street: SigningKey,
                            attesting: Set<ReplicaID>) throws -> ReceiveReport {
        do {
            let early = try pool.read { db in
                try Self.check(ops, proofs: proofs, directory: directory, attesting: (street, attesting)) { try Self.head(db, $0, $1) }
            }
            return try write { context in
                let checked = try early.holds { try context.applier.head(of: $0, at: $1) } ? early
                    : try Self.check(ops, proofs: proofs, directory: directory, attesting: (street, attesting)) { try context.applier.head(of: $0, at: $1) }
                try apply(ops, checked, directory: directory, in: &context, progress: nil)
                return ReceiveReport(applied: context.applier.tally.applied, held: context.applier.waiting,
                                     duplicates: context.applier.tally.duplicates)
            }
        } catch let error as ProvenanceError {
            throw StoreError(.provenance(error, source: .push))
        }
    }

    /// Ops of several communities in one transaction, each checked against its own
    /// community's directory (a central process's view following the shared log), with
    /// numbers stored in the same transaction (the view's places in the log).
    @discardableResult
    public func receive(proved groups: [ProvedOps], setting numbers: [String: UInt64]) throws -> ReceiveReport {
        do {
            return try write { context in
                for group in groups {
                    try receive(group.ops, proofs: group.proofs, directory: group.directory, attesting: nil, recorded: group.recorded,
                                in: &context, progress: nil)
                }
                for (key, value) in numbers { try Self.setMeta(context.applier.db, "n:" + key, String(value)) }
                return ReceiveReport(applied: context.applier.tally.applied, held: context.applier.waiting,
                                     duplicates: context.applier.tally.duplicates)
            }
        } catch let error as ProvenanceError {
            throw StoreError(.provenance(error, source: .central))
        }
    }

    /// The check and the apply, inside the write transaction. `recorded` are heads the
    /// shared log holds (`"origin#counter"`): a view takes a run that ends at one as proved.
    private func receive(_ ops: [Op], proofs: [RunProof], directory keys: KeyDirectory, attesting: (SigningKey, Set<ReplicaID>)?,
                         formerBoxes: Set<ReplicaID> = [], recorded: [String: [UInt8]] = [:], in context: inout WriteContext,
                         progress: ProgressReport?) throws {
        let checked = try Self.check(ops, proofs: proofs, directory: keys, attesting: attesting, formerBoxes: formerBoxes) { origin, counter in
            try context.applier.head(of: origin, at: counter) ?? recorded["\(origin.rawValue)#\(counter)"]
        }
        try apply(ops, checked, directory: keys, in: &context, progress: progress)
    }

    /// A batch checked against its proofs: its lines, their hashes, its runs with every op's
    /// head, and the replica's heads the check relied on.
    struct Checked {
        var lines: [[UInt8]]
        var hashes: [[UInt8]]
        var split: ChainRun.Split
        var verified: [VerifiedRun]
        var relied: [(origin: ReplicaID, counter: UInt64, head: [UInt8]?)]

        /// Whether the replica still holds the heads the check relied on.
        func holds(_ known: (ReplicaID, UInt64) throws -> [UInt8]?) rethrows -> Bool {
            try relied.allSatisfy { try known($0.origin, $0.counter) == $0.head }
        }
    }

    /// Checks `ops` against their proofs and the directory (`ProvenanceCheck`), and attests
    /// the runs of the origins `attesting` names that carry no checkpoint; `known` gives the
    /// replica's heads.
    static func check(_ ops: [Op], proofs: [RunProof], directory keys: KeyDirectory, attesting: (SigningKey, Set<ReplicaID>)?,
                      formerBoxes: Set<ReplicaID> = [], known: (ReplicaID, UInt64) throws -> [UInt8]?) throws -> Checked {
        let lines = ops.map(OpCodec.encodedBytes)
        let hashes = lines.map(SHA256Hex.hash)
        let split = ChainRun.split(zip(ops, hashes).map { ($0.dot, $1) })
        var relied: [(origin: ReplicaID, counter: UInt64, head: [UInt8]?)] = []
        let looked = { (origin: ReplicaID, counter: UInt64) throws -> [UInt8]? in
            let head = try known(origin, counter)
            relied.append((origin, counter, head))
            return head
        }
        var proofs = proofs
        if let (street, origins) = attesting {
            proofs = try ProvenanceCheck.attesting(split.runs, proofs: proofs, origins: origins, street: street, known: looked)
        }
        let verified = try ProvenanceCheck.verify(split.runs, proofs: proofs, directory: keys, formerBoxes: formerBoxes, known: looked)
        return Checked(lines: lines, hashes: hashes, split: split, verified: verified, relied: relied)
    }

    /// Applies a checked batch: anchors first, every op with its head, then its checkpoints.
    private func apply(_ ops: [Op], _ checked: Checked, directory keys: KeyDirectory, in context: inout WriteContext,
                       progress: ProgressReport?) throws {
        for run in checked.verified {
            if let anchor = run.anchor { try context.keep(.anchor(origin: run.origin, counter: run.from - 1, head: anchor)) }
        }
        // Each op's head, in the batch's order (verify keeps the runs' order).
        let chains = checked.split.positions.map { checked.verified[$0.run].heads[$0.offset] }
        context.applier.originRules = OriginRules(community: community, streetFields: true, directory: keys)
        try context.receive(ops, lines: checked.lines, hashes: checked.hashes, chains: chains, progress: progress)
        for run in checked.verified { for checkpoint in run.checkpoints { try context.keep(.checkpoint(checkpoint)) } }
    }

    /// The proof of `origin`'s ops `from...to` this replica can give: the head before them,
    /// and a checkpoint at `to` — signed now by `signers` for this replica's own ops (a
    /// rotating station signs with both keys), or one it was given with them. A run it can
    /// prove no end of gets no checkpoint: the receiver refuses it, unless it holds that op.
    public func proof(of origin: ReplicaID, from: UInt64, to: UInt64, signers: [SigningKey] = []) throws -> RunProof {
        try pool.read { db in
            let before = from == 1 ? nil : try Self.head(db, origin, from - 1)
            var checkpoints: [Checkpoint] = []
            if origin == replica || origin.isStreet, !signers.isEmpty, let head = try Self.head(db, origin, to) {
                checkpoints = signers.map { Checkpoint(origin: origin, counter: to, head: head, signedBy: $0) }
            } else {
                checkpoints = try Self.checkpoints(db, origin, at: to)
            }
            return RunProof(origin: origin, from: from, before: before, checkpoints: checkpoints)
        }
    }

    /// Proofs for a pull the central answers: for each run, its stored checkpoint at the
    /// run's end when the directory still lets its key vouch there, else the street's own
    /// (an attestation: the run ends inside a push, or its origin signs nothing yet, or its
    /// key was retired since). A run whose end has no head yet (ops after a gap) gets none.
    public func proofs(for runs: [(origin: ReplicaID, from: UInt64, to: UInt64)], directory: KeyDirectory,
                       street: SigningKey) throws -> [RunProof] {
        try pool.read { db in
            try runs.map { run in
                RunProof.relayed(origin: run.origin, from: run.from, to: run.to,
                                 before: run.from == 1 ? nil : try Self.head(db, run.origin, run.from - 1),
                                 head: try Self.head(db, run.origin, run.to), kept: try Self.checkpoints(db, run.origin, at: run.to),
                                 directory: directory, street: street)
            }
        }
    }

    /// The head of `origin`'s chain after op `counter`, from the op or an anchor.
    static func head(_ db: Database, _ origin: ReplicaID, _ counter: UInt64) throws -> [UInt8]? {
        if counter == 0 { return OriginChain.seed(origin) }
        return try Data.fetchOne(db, sql: "SELECT chain FROM op WHERE replica = ? AND counter = ? AND chain IS NOT NULL",
                                 arguments: [origin.rawValue, Int64(counter)]).map(Array.init)
            ?? Data.fetchOne(db, sql: "SELECT head FROM chain_point WHERE origin = ? AND counter = ? LIMIT 1",
                             arguments: [origin.rawValue, Int64(counter)]).map(Array.init)
    }

    static func checkpoints(_ db: Database, _ origin: ReplicaID, at counter: UInt64) throws -> [Checkpoint] {
        try Row.fetchAll(db, sql: """
            SELECT key, head, signature FROM chain_point WHERE origin = ? AND counter = ? AND signature IS NOT NULL ORDER BY key
            """, arguments: [origin.rawValue, Int64(counter)]).map { row in
            Checkpoint(origin: origin, counter: counter, head: Array(row[1] as Data), key: KeyID(rawValue: row[0]),
                       signature: Array(row[2] as Data))
        }
    }
}

extension Replica {
    /// Heads of other origins' chains this replica holds that no checkpoint it keeps covers
    /// (ops it took before signatures, from an origin that has since gone quiet), with the
    /// counter of each: a station asks the central to attest them on its next pull.
    public func unprovenHeads(limit: Int = 100) throws -> [String: UInt64] {
        try pool.read { db in
            var heads: [String: UInt64] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT o.replica, max(o.counter) FROM op o WHERE o.chain IS NOT NULL AND o.replica <> ? GROUP BY o.replica
                HAVING max(o.counter) > COALESCE((SELECT max(c.counter) FROM chain_point c
                                                  WHERE c.origin = o.replica AND c.signature IS NOT NULL), 0)
                LIMIT ?
                """, arguments: [replica.rawValue, limit]) {
                heads[row[0]] = UInt64(row[1] as Int64)
            }
            return heads
        }
    }

    /// Keeps checkpoints this replica signed over its own ops once the central holds them
    /// (a push's), so that its journal shows them verified like everyone else's.
    public func keep(signed checkpoints: [Checkpoint]) throws {
        guard !checkpoints.isEmpty else { return }
        try write { context in
            for checkpoint in checkpoints where checkpoint.origin == replica {
                guard try context.applier.head(of: checkpoint.origin, at: checkpoint.counter) == checkpoint.head else { continue }
                try context.keep(.checkpoint(checkpoint))
            }
        }
    }

    /// Keeps the attestations the central sent for heads this replica asked about, each only
    /// if it names the head this replica holds and a key the directory allows signed it;
    /// returns how many it kept. One that names another head is not kept: this replica holds
    /// another history of that origin than the central, which `yishi journal verify` reports.
    @discardableResult
    public func keep(attestations: [Checkpoint]) throws -> Int {
        guard !attestations.isEmpty else { return 0 }
        return try write { context in
            guard let directory = try TrustFile.read(context.applier.db).directory else { return 0 }
            var kept = 0
            for checkpoint in attestations {
                guard try context.applier.head(of: checkpoint.origin, at: checkpoint.counter) == checkpoint.head,
                      directory.publicKeys(named: checkpoint.key, for: checkpoint.origin, at: checkpoint.counter)
                          .contains(where: checkpoint.isSigned(by:))
                else { continue }
                try context.keep(.checkpoint(checkpoint))
                kept += 1
            }
            return kept
        }
    }
}

extension Replica {
    /// Every checkpoint kept here, as moving a central elsewhere copies them.
    public func keptCheckpoints() throws -> [Checkpoint] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT origin, counter, key, head, signature FROM chain_point WHERE signature IS NOT NULL")
                .compactMap { row in
                    ReplicaID(rawValue: row[0]).map { origin in
                        Checkpoint(origin: origin, counter: UInt64(row[1] as Int64), head: Array(row[3] as Data),
                                   key: KeyID(rawValue: row[2]), signature: Array(row[4] as Data))
                    }
                }
        }
    }

    /// The highest counter of `origin` for which a checkpoint signed by the key `key` is
    /// kept here (0: none): how far a retired key vouches, at the central.
    public func checkpointReach(origin: String, key: KeyID) throws -> UInt64 {
        try pool.read { db in
            UInt64(try Int64.fetchOne(db, sql: "SELECT max(counter) FROM chain_point WHERE origin = ? AND key = ? AND signature IS NOT NULL",
                                      arguments: [origin, key.rawValue]) ?? 0)
        }
    }
}

/// One community's ops with their proofs and the directory to check them against.
public struct ProvedOps: Sendable {
    public var ops: [Op]
    public var proofs: [RunProof]
    public var directory: KeyDirectory
    /// The heads the shared log recorded when it stored these ops (`"origin#counter"`): a
    /// run whose lines hash to the head recorded at its end is the run that was proved then.
    public var recorded: [String: [UInt8]]

    public init(ops: [Op], proofs: [RunProof], directory: KeyDirectory, recorded: [String: [UInt8]] = [:]) {
        self.ops = ops
        self.proofs = proofs
        self.directory = directory
        self.recorded = recorded
    }
}
