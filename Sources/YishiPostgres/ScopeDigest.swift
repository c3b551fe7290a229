import Foundation
import Logging
import YishiCentral
import YishiMerge
import YishiStore

/// The digest of one community as the shared database holds it (`yishi central digest
/// --database`): its ops alone, read by its own number into a replica in a temporary
/// folder, merged by the same store as everywhere, so it is byte for byte what a station
/// of the community and a single central compute.
public enum ScopeDigest {
    public static func compute(_ database: CentralDatabase, scope: String, batch: Int = 5_000) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try Replica.create(at: DataDirectory(path: folder.path), replica: CentralNode.replicaID, community: CentralNode.replicaID)
        var cursor: Int64 = 0
        while true {
            let page = try await database.log.follow(after: [scope: cursor], limit: batch)
            guard let next = page.cursors[scope], !page.entries.isEmpty else { break }
            _ = try replica.receive(try page.entries.map { try OpCodec.decode(Array($0.line.utf8)) })
            cursor = next
        }
        return try replica.digest(scope: scope)
    }
}
