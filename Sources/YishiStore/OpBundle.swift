import Foundation
import YishiMerge
import YishiTrust

/// A file of ops that travels between replicas by USB stick: a header line naming the
/// sender and how many ops follow, then the ops' journal lines. The count lets a copy cut
/// short be told apart from a complete one. On the wire the same ops may travel in the
/// compact form (`"version":2`); a file is always written with the journal's lines.
///
/// The header also carries what proves the ops' origins (`proofs`, one per run of an
/// origin's ops) and the street's signed directory of keys to check them with. Both are
/// header fields, which builds before signatures ignore, so their bundles and batches still
/// read alike both ways.
public struct OpBundle: Sendable {
    public var from: ReplicaID
    public var community: String
    public var ops: [Op]
    public var proofs: [RunProof] = []
    public var directory: SignedDirectory?
    /// In a push: how far the sender's own ops were written before it signed them.
    public var legacyThrough: UInt64?
    /// In a pull's answer: checkpoints at heads the station asked about (ops it holds that
    /// nothing it was given proves yet: an origin that has gone quiet, a retired box).
    public var attestations: [Checkpoint] = []
    /// A file's seal (`BundleSeal`); nil on the wire.
    public var seal: BundleSeal?

    /// What travels in the header beside the ops.
    public struct Attachments: Sendable {
        public var proofs: [RunProof]
        public var directory: SignedDirectory?
        public var legacyThrough: UInt64?
        public var attestations: [Checkpoint]

        public init(proofs: [RunProof] = [], directory: SignedDirectory? = nil, legacyThrough: UInt64? = nil,
                    attestations: [Checkpoint] = []) {
            self.proofs = proofs
            self.directory = directory
            self.legacyThrough = legacyThrough
            self.attestations = attestations
        }
    }

    public static func encode(from: ReplicaID, community: String, lines: [String], attaching extra: Attachments = Attachments()) -> [UInt8] {
        var bytes = header(version: 1, from: from, community: community, count: lines.count, extra)
        for line in lines {
            bytes += line.utf8
            bytes.append(0x0A)
        }
        return bytes
    }

    /// The same ops in the compact form (version 2, `CompactOpCodec`), for the wire: files
    /// keep the canonical lines people can read.
    public static func encodeCompact(from: ReplicaID, community: String, ops: [Op], attaching extra: Attachments = Attachments()) -> [UInt8] {
        var bytes = header(version: 2, from: from, community: community, count: ops.count, extra)
        for line in CompactOpCodec.encode(ops) {
            bytes += line
            bytes.append(0x0A)
        }
        return bytes
    }

    private static func header(version: Int, from: ReplicaID, community: String, count: Int, _ extra: Attachments) -> [UInt8] {
        var text = "{\"yishi\":\"bundle\",\"version\":\(version),\"from\":\(JSONText.quote(from.rawValue)),"
            + "\"community\":\(JSONText.quote(community)),\"schema\":\(Op.currentSchema),\"ops\":\(count)"
        if !extra.proofs.isEmpty { text += ",\"proofs\":[" + extra.proofs.map(ProofJSON.encode).joined(separator: ",") + "]" }
        if let directory = extra.directory { text += ",\"directory\":" + directory.json }
        if let legacy = extra.legacyThrough { text += ",\"legacy\":\(legacy)" }
        if !extra.attestations.isEmpty { text += ",\"attest\":[" + extra.attestations.map(ProofJSON.encode).joined(separator: ",") + "]" }
        return Array((text + "}\n").utf8)
    }

    /// Reads and checks a whole bundle before anything is applied: a bad line anywhere
    /// means nothing is imported.
    public static func decode(_ bytes: [UInt8], file: String) throws(StoreError) -> OpBundle {
        let sealed = BundleSeal.split(bytes)
        let (lines, tornBytes) = Journal.lines(sealed?.body ?? bytes, startingAt: 0, firstNumber: 1)
        guard let first = lines.first,
              let header = try? JSONSerialization.jsonObject(with: Data(first.bytes)) as? [String: Any],
              header["yishi"] as? String == "bundle"
        else { throw StoreError(.bundleHeader(file: file, problem: "第一行不是导出文件的开头")) }
        if let schema = header["schema"] as? Int, schema != Op.currentSchema {
            throw StoreError(.bundleHeader(
                file: file, problem: "它由数据格式版本 \(schema) 的 yishi 导出，本程序只认识版本 \(Op.currentSchema)，请把两边升级到同一版本"))
        }
        guard let from = (header["from"] as? String).flatMap(ReplicaID.init(rawValue:)),
              let community = header["community"] as? String, let declared = header["ops"] as? Int
        else { throw StoreError(.bundleHeader(file: file, problem: "开头一行缺少来源站点或修改条数")) }
        let version = header["version"] as? Int ?? 1
        guard version == 1 || version == 2 else {
            throw StoreError(.bundleHeader(file: file, problem: "它的文件格式版本是 \(version)，本程序只认识版本 1 和 2，请升级 yishi 后再导入"))
        }
        var compact = CompactOpCodec.Decoder()
        var ops: [Op] = []
        var seen: [Dot: Op] = [:]
        for line in lines.dropFirst() {
            let op: Op
            do {
                op = version == 2 ? try compact.decode(line.bytes) : try OpCodec.decode(line.bytes)
            } catch {
                throw StoreError(.bundleLine(file: file, line: line.number, problem: error.description))
            }
            if let earlier = seen[op.dot], earlier != op {
                throw StoreError(.merge(.dotReused(op.dot), line: line.number))
            }
            seen[op.dot] = op
            ops.append(op)
        }
        guard ops.count == declared, tornBytes == 0 else {
            throw StoreError(.bundleTruncated(file: file, declared: declared, found: ops.count))
        }
        var proofs: [RunProof] = []
        if let items = header["proofs"] {
            guard let items = items as? [[String: Any]], let read = ProofJSON.decode(items) else {
                throw StoreError(.bundleHeader(file: file, problem: "开头一行里的签名部分格式不对（文件可能损坏）"))
            }
            proofs = read
        }
        var directory: SignedDirectory?
        if let item = header["directory"] {
            guard let signed = SignedDirectory(json: item) else {
                throw StoreError(.bundleHeader(file: file, problem: "开头一行里的站点名录格式不对（文件可能损坏）"))
            }
            directory = signed
        }
        var attestations: [Checkpoint] = []
        if let items = header["attest"] {
            guard let items = items as? [[String: Any]] else {
                throw StoreError(.bundleHeader(file: file, problem: "开头一行里的补签部分格式不对（文件可能损坏）"))
            }
            attestations = items.compactMap(ChainLine.checkpoint)
        }
        return OpBundle(from: from, community: community, ops: ops, proofs: proofs, directory: directory,
                        legacyThrough: (header["legacy"] as? NSNumber)?.uint64Value, attestations: attestations, seal: sealed?.seal)
    }
}

extension Replica {
    /// Writes the ops a replica at `known` lacks (all ops when nil) to a bundle file,
    /// atomically: a half-written bundle never sits under the final name.
    ///
    /// The file carries the proofs of its ops (this replica's own signed now by `signers`,
    /// others' with the checkpoints it was given) and the directory it holds, so that the
    /// replica that imports it can check every op without the central.
    @discardableResult
    public func export(to url: URL, lacking known: VersionVector? = nil, signers: [SigningKey] = [],
                       progress: ProgressReport? = nil) throws -> Int {
        let (lines, dots) = try opLinesAndDots(lacking: known ?? VersionVector(), progress: progress)
        try progress?(WorkProgress("写入文件", done: 0, total: Int64(lines.count)))
        // Its own runs are signed now; at the central, the street's too (its key is the signer).
        let proofs = try ChainRun.spans(of: dots).map { run in
            try proof(of: run.origin, from: run.from, to: run.to,
                      signers: run.origin == replica || (replica.isStreet && run.origin.isStreet) ? signers : [])
        }
        let bytes = BundleSeal.sealed(
            OpBundle.encode(from: replica, community: community, lines: lines,
                            attaching: OpBundle.Attachments(proofs: proofs, directory: try trust().signedDirectory)),
            origin: replica, signers: signers)
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw StoreError(.io(path: url.path, problem: FileProblem.describe(error)))
        }
        try progress?(WorkProgress("写入文件", done: Int64(lines.count), total: Int64(lines.count)))
        return lines.count
    }

    /// Imports a bundle file, all or nothing. Importing the same file twice, or files in
    /// any order, is safe.
    public func importBundle(at url: URL, progress: ProgressReport? = nil) throws -> ReceiveReport {
        try progress?(WorkProgress("读取文件", done: 0, total: nil))
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            throw StoreError(.io(path: url.path, problem: FileProblem.describe(error)))
        }
        let bundle = try OpBundle.decode(bytes, file: url.lastPathComponent)
        return try receive(bundle.ops, proofs: bundle.proofs, directory: bundle.directory,
                           from: .bundle(file: url.lastPathComponent), sealedBy: bundle.seal, progress: progress)
    }
}
