import Foundation
import YishiMerge

/// A file of ops that travels between replicas by USB stick: a header line naming the
/// sender and how many ops follow, then the ops' journal lines. The count lets a copy cut
/// short be told apart from a complete one.
public struct OpBundle: Sendable {
    public var from: ReplicaID
    public var community: String
    public var ops: [Op]

    public static func encode(from: ReplicaID, community: String, lines: [String]) -> [UInt8] {
        var text = "{\"yishi\":\"bundle\",\"version\":1,\"from\":\(JSONText.quote(from.rawValue)),"
            + "\"community\":\(JSONText.quote(community)),\"schema\":\(Op.currentSchema),\"ops\":\(lines.count)}\n"
        for line in lines { text += line + "\n" }
        return Array(text.utf8)
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
        var ops: [Op] = []
        var seen: [Dot: Op] = [:]
        for line in lines.dropFirst() {
            let op: Op
            do {
                op = try OpCodec.decode(line.bytes)
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
    public func export(to url: URL, lacking known: VersionVector? = nil) throws -> Int {
        let lines = try opLines(lacking: known ?? VersionVector())
        let bytes = OpBundle.encode(from: replica, community: community, lines: lines)
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw StoreError(.io(path: url.path, problem: FileProblem.describe(error)))
        }
        return lines.count
    }

    /// Imports a bundle file, all or nothing. Importing the same file twice, or files in
    /// any order, is safe.
    public func importBundle(at url: URL, progress: ((Int, Int) -> Void)? = nil) throws -> ReceiveReport {
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
