import Foundation

/// The files of one replica, all plain and all in one directory:
///
/// - `journal.jsonl`: every op ever received, one JSON line each — the record of truth
///   that the replica can be rebuilt from and that travels by USB stick;
/// - `replica.sqlite` (+ `-wal`, `-shm`): the merged state, for queries;
/// - `lock`: held shared by every process using the directory, exclusively by rebuild.
public struct DataDirectory: Sendable {
    public let url: URL

    public init(_ url: URL) { self.url = url.standardizedFileURL }

    public init(path: String) { self.init(URL(fileURLWithPath: path)) }

    public var journal: URL { url.appendingPathComponent("journal.jsonl") }
    public var database: URL { url.appendingPathComponent("replica.sqlite") }
    public var lockFile: URL { url.appendingPathComponent("lock") }

    /// Refuses a directory that is not a replica, naming what is missing.
    public func validate() throws(StoreError) {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError(.notADataDirectory(path: url.path, missing: "这个目录"))
        }
        for required in [journal, database] where !files.fileExists(atPath: required.path) {
            throw StoreError(.notADataDirectory(path: url.path, missing: required.lastPathComponent))
        }
    }
}
