import Foundation
import GRDB

/// A station restored from a backup may be behind its own history: edits it made after
/// the backup may already be at the central. Were it to write now, its next edit would
/// reuse one of those dots with different content, which every replica refuses. So it
/// writes nothing until a sync has brought back its own edits from the central.
extension Replica {
    static let restoredKey = "restored"

    /// When the backup this replica was restored from was made; nil when it was not
    /// restored, or has since caught up with the central.
    public func restoredFrom() throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.restoredKey]) }
    }

    /// Also moves the signed requests' sequence past any the box used after the backup (the
    /// central refuses a sequence it has seen as a replay); the clock in ms is beyond them.
    func markRestored(from made: String, now: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) throws {
        try pool.write { db in
            try Self.setMeta(db, Self.restoredKey, made)
            if try Self.metaNumber(db, "n:request_sequence") < now { try Self.setMeta(db, "n:request_sequence", String(now)) }
        }
    }

    /// Sync calls this once a pull that included this station's own edits has run to the end.
    public func clearRestored() throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Self.restoredKey]) }
    }

    /// Refuses a local edit while the replica waits for its own edits back.
    static func refuseIfRestored(_ meta: WriteMeta) throws {
        if let made = meta.restoredFrom { throw StoreError(.restoredNeedsSync(made: made)) }
    }
}
