import Foundation
import YishiMerge

/// A file of ops that travels between replicas by USB stick: a header line naming the
/// sender and how many ops follow, then the ops' journal lines. The count lets a copy cut
/// short be told apart from a complete one. On the wire the same ops may travel in the
/// compact form (`"version":2`); a file is always written with the journal's lines.
public struct OpBundle: Sendable {
    public var from: ReplicaID
    public var community: String
    public var ops: [Op]

    public static func encode(from: ReplicaID, community: String, lines: [String]) -> [UInt8] {
        var bytes = header(version: 1, from: from, community: community, count: lines.count)
        for line in lines {
            bytes += line.utf8
            bytes.append(0x0A)
        }
        return bytes
    }

    /// The same ops in the compact form (version 2, `CompactOpCodec`), for the wire: files
    /// keep the canonical lines people can read.
    public static func encodeCompact(from: ReplicaID, community: String, ops: [Op]) -> [UInt8] {
        var bytes = header(version: 2, from: from, community: community, count: ops.count)
        for line in CompactOpCodec.encode(ops) {
            bytes += line
            bytes.append(0x0A)
        }
        return bytes
    }

    private static func header(version: Int, from: ReplicaID, community: String, count: Int) -> [UInt8] {
        Array(("{\"yishi\":\"bundle\",\"version\":\(version),\"from\":\(JSONText.quote(from.rawValue)),"
            + "\"community\":\(JSONText.quote(community)),\"schema\":\(Op.currentSchema),\"ops\":\(count)}\n").utf8)
    }

    /// Reads and checks a whole bundle before anything is applied: a bad line anywhere
    /// means nothing is imported.
    public static func decode(_ bytes: [UInt8], file: String) throws(StoreError) -> OpBundle {
        let (lines, tornBytes) = Journal.lines(bytes, startingAt: 0, firstNumber: 1)
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
        return OpBundle(from: from, community: community, ops: ops)
    }
}

extension Replica {
    /// Writes the ops a replica at `known` lacks (all ops when nil) to a bundle file,
    /// atomically: a half-written bundle never sits under the final name.
    @discardableResult
    public func export(to url: URL, lacking known: VersionVector? = nil, progress: ProgressReport? = nil) throws -> Int {
        let lines = try opLines(lacking: known ?? VersionVector(), progress: progress)
        try progress?(WorkProgress("写入文件", done: 0, total: Int64(lines.count)))
        let bytes = OpBundle.encode(from: replica, community: community, lines: lines)
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
        return try receive(bundle.ops, progress: progress)
    }
}
