import Foundation
import YishiDeliberation
import YishiModel

/// Every community's escalations to the street and the district, kept between requests.
/// 上报件 groups a whole district's escalations by department: reading 30,000 of them from
/// the replica for each request took a second, while a district changes a few communities
/// at a time. An entry holds for its community's version (raised by every op applied in
/// the community, in the same transaction), as FiguresCache's do, so the page never shows
/// an escalation, or an answer, the records no longer bear out.
final class EscalationsCache: @unchecked Sendable {
    private struct Entry {
        var version: Int64
        var escalations: [Escalation]
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// The escalations of `community`, or of every community, reading again only the
    /// communities that changed since they were kept.
    func escalations(_ desk: OfficeDesk, community: String? = nil) throws -> [Escalation] {
        let versions = try desk.central.replica.scopeVersions()
        return try (community.map { [$0] } ?? desk.communities()).flatMap { community in
            let version = versions[community] ?? 0
            if let entry = lock.withLock({ entries[community] }), entry.version == version { return entry.escalations }
            // The version is read before the records: an op that lands meanwhile makes the
            // entry stale at once, never hides behind it.
            let found = try desk.loop(community).escalations().filter { Vocabulary.escalationLevels.contains($0.level ?? "") }
            lock.withLock { entries[community] = Entry(version: version, escalations: found) }
            return found
        }
    }
}
