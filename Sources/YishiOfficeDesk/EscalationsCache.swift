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
    /// An escalation as the page sorts and groups it. A reference: the page filters,
    /// groups and sorts a district's 30,000 of them for each request, and copying the
    /// escalations themselves (a dozen strings each) cost most of its time.
    final class Kept: Sendable {
        let escalation: Escalation
        let department: String
        /// The deadline as a day number, nil's after every date.
        let deadlineDay: Int
        let isAnswered: Bool

        init(_ escalation: Escalation) {
            self.escalation = escalation
            isAnswered = escalation.isAnswered
            department = OfficeDesk.department(of: escalation)
            deadlineDay = escalation.deadline?.dayNumber ?? .max
        }

        /// Overdue first, then by deadline (a missing deadline last among its kind).
        func urgency(today: LocalDate) -> (Int, Int) {
            (!isAnswered && deadlineDay < today.dayNumber ? 0 : 1, deadlineDay)
        }
    }

    private struct Entry {
        var version: Int64
        var escalations: [Kept]
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// The escalations of `community`, or of every community, reading again only the
    /// communities that changed since they were kept.
    func escalations(_ desk: OfficeDesk, community: String? = nil) throws -> [Kept] {
        let versions = try desk.central.replica.scopeVersions()
        return try (community.map { [$0] } ?? desk.communities()).flatMap { community in
            let version = versions[community] ?? 0
            if let entry = lock.withLock({ entries[community] }), entry.version == version { return entry.escalations }
            // The version is read before the records: an op that lands meanwhile makes the
            // entry stale at once, never hides behind it.
            let found = try desk.loop(community).escalations().filter { Vocabulary.escalationLevels.contains($0.level ?? "") }.map(Kept.init)
            lock.withLock { entries[community] = Entry(version: version, escalations: found) }
            return found
        }
    }
}
