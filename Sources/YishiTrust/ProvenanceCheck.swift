import YishiMerge

/// The check every replica makes before it applies ops it did not write: each run of each
/// origin must continue the chain the replica holds (or the head its proof gives, for a run
/// after a gap), hash to the heads its checkpoints name, and end at a checkpoint signed by a
/// key the directory lets vouch for that origin there — or at an op the replica already
/// holds with the same head. Anything else refuses the whole batch, naming the origin and
/// the op; nothing is applied.
public enum ProvenanceCheck {
    /// `known(origin, counter)` is the head the replica holds after that op (nil when it
    /// does not hold it, or holds it from before signatures without a head).
    ///
    /// `formerBoxes` are this station's own former boxes: a replacement box recovering the old
    /// disk takes their ops signed by their key even past its retirement (the office retired
    /// it when the box was lost, before what was on its disk could be handed on); the central
    /// attests them when they are pushed.
    public static func verify(_ runs: [ChainRun], proofs: [RunProof], directory: KeyDirectory, formerBoxes: Set<ReplicaID> = [],
                              known: (ReplicaID, UInt64) throws -> [UInt8]?) throws -> [VerifiedRun] {
        // One proof per run; a run proved twice (a relay added its own word) has both.
        var byRun: [String: RunProof] = [:]
        for proof in proofs {
            let key = "\(proof.origin.rawValue):\(proof.from)"
            if var merged = byRun[key] {
                merged.checkpoints += proof.checkpoints
                merged.before = merged.before ?? proof.before
                byRun[key] = merged
            } else {
                byRun[key] = proof
            }
        }
        return try runs.map { run in
            guard directory.knows(run.origin) else { throw ProvenanceError(.unknownOrigin(run.origin, community: directory.community)) }
            let proof = byRun["\(run.origin.rawValue):\(run.from)"]
            return try verify(run, proof: proof, directory: directory, evenRetired: formerBoxes.contains(run.origin), known: known)
        }
    }

    static func verify(_ run: ChainRun, proof: RunProof?, directory: KeyDirectory, evenRetired: Bool = false,
                       known: (ReplicaID, UInt64) throws -> [UInt8]?) throws -> VerifiedRun {
        let origin = run.origin
        var anchor: [UInt8]?
        var head: [UInt8]
        if run.from == 1 {
            head = OriginChain.seed(origin)
        } else if let held = try known(origin, run.from - 1) {
            if let claimed = proof?.before, claimed != held { throw ProvenanceError(.doesNotContinue(Dot(replica: origin, counter: run.from))) }
            head = held
        } else if let claimed = proof?.before {
            head = claimed
            anchor = claimed
        } else {
            throw ProvenanceError(.unsigned(origin, from: run.from, to: run.to))
        }
        var heads: [[UInt8]] = []
        heads.reserveCapacity(run.hashes.count)
        for hash in run.hashes {
            head = OriginChain.next(head, opHash: hash)
            heads.append(head)
        }
        var covered: UInt64 = run.from - 1
        var kept: [Checkpoint] = []
        // A run may carry several checkpoints at one counter (a station rotating its key
        // signs with both): one whose key may not vouch there is passed over, and named only
        // if nothing else covers the run.
        var refused: ProvenanceError?
        for checkpoint in proof?.checkpoints ?? [] where checkpoint.origin == origin && (run.from...run.to).contains(checkpoint.counter) {
            guard heads[Int(checkpoint.counter - run.from)] == checkpoint.head else {
                throw ProvenanceError(.altered(Dot(replica: origin, counter: checkpoint.counter)))
            }
            let candidates = directory.publicKeys(named: checkpoint.key, for: origin, at: checkpoint.counter, evenRetired: evenRetired)
            guard candidates.contains(where: checkpoint.isSigned(by:)) else {
                refused = refused ?? ProvenanceError(directory.entry(origin)?.keys.contains { KeyID(publicKey: $0.key) == checkpoint.key } == true
                    ? .retiredKey(Dot(replica: origin, counter: checkpoint.counter))
                    : .forged(Dot(replica: origin, counter: checkpoint.counter)))
                continue
            }
            covered = max(covered, checkpoint.counter)
            kept.append(checkpoint)
        }
        if covered < run.to {
            // The replica may hold the run's end already (a batch that repeats what came by
            // another way): its head there, computed when it was proved, vouches for the rest.
            guard let held = try known(origin, run.to) else {
                throw refused ?? ProvenanceError(.unsigned(origin, from: covered + 1, to: run.to))
            }
            guard held == heads.last else { throw ProvenanceError(.altered(Dot(replica: origin, counter: run.to))) }
        }
        return VerifiedRun(origin: origin, from: run.from, heads: heads, checkpoints: kept, anchor: anchor)
    }

    /// The heads a run can be given without a proof (a replica that trusts no street yet, or
    /// a journal replayed): from the origin's seed or a head the replica holds; nil heads
    /// for a run after a gap, filled in when the gap is.
    public static func heads(of run: ChainRun, known: (ReplicaID, UInt64) throws -> [UInt8]?) throws -> [[UInt8]]? {
        guard var head = run.from == 1 ? OriginChain.seed(run.origin) : try known(run.origin, run.from - 1) else { return nil }
        return run.hashes.map { hash in
            head = OriginChain.next(head, opHash: hash)
            return head
        }
    }
}

/// Why a batch was refused: which origin and which op, what is wrong and what to do.
/// Nothing of the batch was applied.
public struct ProvenanceError: Error, Hashable, Sendable, CustomStringConvertible {
    enum Reason: Hashable, Sendable {
        case unknownOrigin(ReplicaID, community: String)
        case unsigned(ReplicaID, from: UInt64, to: UInt64)
        case altered(Dot)
        case forged(Dot)
        case retiredKey(Dot)
        case doesNotContinue(Dot)
        case noDirectory
        case streetOnly(Dot, field: String)
        case otherCommunity(Dot, record: String, community: String)
        case unsealed
        case badSeal(ReplicaID)
        case tooLarge(Dot, field: String, limit: String)
        case hiddenCharacter(Dot, field: String, scalar: UInt32)
        case wrongKind(Dot, record: String, field: String, expected: String)
    }

    let reason: Reason

    init(_ reason: Reason) { self.reason = reason }

    public static var noDirectory: ProvenanceError { ProvenanceError(.noDirectory) }
    /// An op holding more than any form would take.
    public static func tooLarge(_ dot: Dot, field: String, limit: String) -> ProvenanceError { ProvenanceError(.tooLarge(dot, field: field, limit: limit)) }
    /// An op whose text holds characters that hide or reorder what it shows.
    public static func hiddenCharacter(_ dot: Dot, field: String, scalar: UInt32) -> ProvenanceError {
        ProvenanceError(.hiddenCharacter(dot, field: field, scalar: scalar))
    }
    /// An op writing a field of the model as another kind than the model's.
    public static func wrongKind(_ dot: Dot, record: String, field: String, expected: String) -> ProvenanceError {
        ProvenanceError(.wrongKind(dot, record: record, field: field, expected: expected))
    }
    /// A file with no exporter's seal.
    public static var unsealed: ProvenanceError { ProvenanceError(.unsealed) }
    /// A file whose seal no key of `origin` (the exporter it names) made over these bytes.
    public static func badSeal(_ origin: ReplicaID) -> ProvenanceError { ProvenanceError(.badSeal(origin)) }

    /// An op of a station setting a field only the street may set (`label`: the field as
    /// people read it).
    public static func streetOnly(_ dot: Dot, field label: String) -> ProvenanceError { ProvenanceError(.streetOnly(dot, field: label)) }

    /// An op on a record of another community than its own.
    public static func otherCommunity(_ dot: Dot, record: String, community: String) -> ProvenanceError {
        ProvenanceError(.otherCommunity(dot, record: record, community: community))
    }

    /// The op the refusal names, if it names one.
    public var dot: Dot? {
        switch reason {
        case .altered(let dot), .forged(let dot), .retiredKey(let dot), .doesNotContinue(let dot), .streetOnly(let dot, _),
             .otherCommunity(let dot, _, _), .tooLarge(let dot, _, _), .hiddenCharacter(let dot, _, _), .wrongKind(let dot, _, _, _): dot
        case .unsigned(let origin, let from, _): Dot(replica: origin, counter: from)
        case .unknownOrigin, .noDirectory, .unsealed, .badSeal: nil
        }
    }

    public var description: String {
        switch reason {
        case .unknownOrigin(let origin, let community):
            "来源 \(origin) 不在街道发给社区 \(community) 的站点名录里，无法核实它的修改（可能是伪造的，或那台设备刚登记、本站还没收到新名录）"
        case .unsigned(let origin, let from, let to):
            "来源 \(origin) 的第 \(from)\(to > from ? "–\(to)" : "") 条修改没有有效的签名，无法核实是它写的"
        case .altered(let dot):
            "修改 \(dot) 的内容与 \(dot.replica) 签名时的不同（被改动过，或文件在拷贝中损坏）"
        case .forged(let dot):
            "修改 \(dot) 的签名不是 \(dot.replica) 的密钥、也不是街道的密钥签的（可能是伪造的）"
        case .retiredKey(let dot):
            "修改 \(dot) 由 \(dot.replica) 已停用的旧密钥签名，而停用在这条修改之前（密钥可能已泄露）"
        case .doesNotContinue(let dot):
            "修改 \(dot) 接不上本站已有的 \(dot.replica) 的修改（本站保存的前一条与签名的不同）"
        case .noDirectory:
            "本站还没有街道的公钥和站点名录，无法核实其他来源的修改"
        case .streetOnly(let dot, let label):
            "修改 \(dot) 填写了“\(label)”，这一项只能由街道在街道工作台填写，\(dot.replica) 不能填写"
        case .otherCommunity(let dot, let record, let community):
            "修改 \(dot) 改的记录 \(record) 属于社区 \(community)，来源 \(dot.replica) 不能改别的社区的记录"
        case .unsealed:
            "文件末尾没有导出站点的封签（不是 yishi export 导出的，或最后一行在拷贝中丢失了）"
        case .badSeal(let origin):
            "文件的封签不对：它不是 \(origin) 的密钥对这些内容签的（导出后文件被改动过，或在拷贝中损坏）"
        case .tooLarge(let dot, let field, let limit):
            "修改 \(dot) 的“\(field)”太大：超过了 \(limit)，任何表单都不会接受这样的内容"
        case .hiddenCharacter(let dot, let field, let scalar):
            "修改 \(dot) 的“\(field)”里有看不见或会打乱显示顺序的字符 U+\(String(scalar, radix: 16, uppercase: true))"
        case .wrongKind(let dot, let record, let field, let expected):
            "修改 \(dot) 把记录 \(record) 的“\(field)”写成了别的类型（这一项是 \(expected) 类型）"
        }
    }
}

extension ProvenanceCheck {
    /// The proofs with the street's attestation added for every run of `origins` that ends
    /// at no checkpoint of its own: the central vouches for what a station's signed request
    /// brought (a box on the previous release, a former box's recovered ops). A run whose
    /// start the central cannot place (after a gap, with no head before it) gets none.
    public static func attesting(_ runs: [ChainRun], proofs: [RunProof], origins: Set<ReplicaID>, street: SigningKey,
                                 known: (ReplicaID, UInt64) throws -> [UInt8]?) throws -> [RunProof] {
        var proofs = proofs
        for run in runs where origins.contains(run.origin) {
            let given = proofs.first { $0.origin == run.origin && $0.from == run.from }
            let start = { (origin: ReplicaID, counter: UInt64) throws -> [UInt8]? in
                try known(origin, counter) ?? (counter == run.from - 1 ? given?.before : nil)
            }
            guard let head = try heads(of: run, known: start)?.last else { continue }
            let attestation = Checkpoint(origin: run.origin, counter: run.to, head: head, signedBy: street)
            proofs.removeAll { $0.origin == run.origin && $0.from == run.from }
            proofs.append(RunProof(origin: run.origin, from: run.from, before: given?.before,
                                   checkpoints: (given?.checkpoints ?? []) + [attestation]))
        }
        return proofs
    }
}

extension RunProof {
    /// The proof a central gives for a run of a pull's answer (or its own view's page):
    /// the head before it, and at its end a checkpoint it keeps there whose key the
    /// directory still lets vouch for it, else the street's attestation of the head it holds
    /// (the run ends inside a push, its origin signs nothing yet, or the key was retired
    /// since). Nil heads: the central cannot prove that end, and the receiver will refuse it.
    public static func relayed(origin: ReplicaID, from: UInt64, to: UInt64, before: [UInt8]?, head: [UInt8]?, kept: [Checkpoint],
                               directory: KeyDirectory, street: SigningKey) -> RunProof {
        let valid = kept.first { checkpoint in
            checkpoint.origin == origin && checkpoint.counter == to
                && directory.publicKeys(named: checkpoint.key, for: origin, at: to).contains(where: checkpoint.isSigned(by:))
        }
        let checkpoint = valid ?? head.map { Checkpoint(origin: origin, counter: to, head: $0, signedBy: street) }
        return RunProof(origin: origin, from: from, before: from == 1 ? nil : before, checkpoints: checkpoint.map { [$0] } ?? [])
    }
}
