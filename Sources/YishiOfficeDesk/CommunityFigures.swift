import Foundation
import YishiCentral
import YishiDeliberation
import YishiMerge
import YishiModel

/// What the office watches of one community over a period: the period's figures exactly
/// as `yishi stats` computes them at a station (the same Deliberation.statistics), and the
/// work open today.
struct CommunityFigures: Sendable {
    var stats: Statistics
    /// Topics neither closed nor withdrawn, whenever raised.
    var open: Int
    var overdueActions: Int
    /// Escalations to the street (街道) not yet answered.
    var streetWaiting: Int
    var satisfied: Int
    var rated: Int
    var conflicts: Int

    var satisfaction: String { Percent.text(satisfied, of: rated) }

    init(_ loop: Deliberation, from: LocalDate?, to: LocalDate?, conflicts: Int) throws {
        stats = try loop.statistics(from: from, to: to)
        satisfied = stats.satisfaction.reduce(0) { $0 + $1.satisfied + $1.basic }
        rated = stats.satisfaction.reduce(0) { $0 + $1.satisfied + $1.basic + $1.unsatisfied }
        open = try loop.openTopicCount()
        overdueActions = stats.overdue.filter { $0.what.hasPrefix("落实事项") }.count
        streetWaiting = try loop.escalationsWaiting(at: "街道")
        self.conflicts = conflicts
    }
}

/// This year's figures of every community, kept between requests: a whole district's
/// statistics take seconds, the overview must take a fraction of one. An entry holds for
/// the community's version (which every op applied in the community raises, in the same
/// transaction that applies it) and for the day it was computed on (overdue counts move at
/// midnight); a changed version or a new day recomputes that community, so the overview
/// never shows figures the records no longer bear out. `refresh` recomputes whatever is
/// stale ahead of the next request.
final class FiguresCache: @unchecked Sendable {
    private struct Entry {
        var version: Int64
        var day: LocalDate
        var figures: CommunityFigures
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// Every community's figures as of `today`, computing only the stale ones — within
    /// `budget` seconds when one is given: a community not reached by then is left out
    /// (nil), for the page to say it is being updated, rather than keep a person waiting
    /// while a freshly started central works through a whole district.
    func figures(_ desk: OfficeDesk, today: LocalDate, budget: Double? = nil) throws -> [String: CommunityFigures?] {
        let started = DispatchTime.now().uptimeNanoseconds
        let versions = try desk.central.replica.scopeVersions()
        var result: [String: CommunityFigures?] = [:]
        var stale: [String] = []
        for community in try desk.communities() {
            if let figures = cached(community, version: versions[community] ?? 0, today: today) {
                result[community] = figures
            } else {
                stale.append(community)
            }
        }
        // Read only when something is computed, and after the versions, as every part of
        // the figures is (see thisYear).
        let conflicts = stale.isEmpty ? [:] : try desk.central.replica.conflictCountsByScope()
        for community in stale {
            if let budget, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 > budget {
                result[community] = .some(nil)
                continue
            }
            result[community] = try thisYear(desk, community, version: versions[community] ?? 0, conflicts: { conflicts[community] ?? 0 }, today: today)
        }
        return result
    }

    /// One community's figures for a period; this year's come from the cache, and so does
    /// another period looked at before (last year's, a quarter), kept on the same terms:
    /// the community's version and the day. The first look at a period computes it.
    func figures(_ desk: OfficeDesk, community: String, from: LocalDate, to: LocalDate, today: LocalDate) throws -> CommunityFigures {
        // The version first: the conflicts, like every part of the figures, are read after it
        // (see thisYear), and only when the figures are computed.
        let version = try desk.central.replica.scopeVersions()[community] ?? 0
        guard from == LocalDate(year: today.year, month: 1, day: 1), to == today else {
            let key = PeriodKey(community: community, from: from, to: to)
            if let entry = lock.withLock({ periods[key] }), entry.version == version, entry.day == today { return entry.figures }
            let conflicts = try desk.central.replica.conflictCountsByScope()[community] ?? 0
            let figures = try CommunityFigures(desk.loop(community), from: from, to: to, conflicts: conflicts)
            lock.withLock {
                // A bound, not an LRU: a person tries a handful of periods, a crawler
                // trying thousands must not grow the process.
                if periods.count >= Self.keptPeriods { periods.removeAll() }
                periods[key] = Entry(version: version, day: today, figures: figures)
            }
            return figures
        }
        return try thisYear(desk, community, version: version, conflicts: { try desk.central.replica.conflictCountsByScope()[community] ?? 0 },
                            today: today)
    }

    private struct PeriodKey: Hashable {
        var community: String
        var from: LocalDate
        var to: LocalDate
    }

    private var periods: [PeriodKey: Entry] = [:]
    static let keptPeriods = 256

    /// The kept figures, if they still hold for the community's version and the day.
    private func cached(_ community: String, version: Int64, today: LocalDate) -> CommunityFigures? {
        guard let entry = lock.withLock({ entries[community] }), entry.version == version, entry.day == today else { return nil }
        return entry.figures
    }

    /// `conflicts` is asked only when the figures are computed.
    private func thisYear(_ desk: OfficeDesk, _ community: String, version: Int64, conflicts: () throws -> Int, today: LocalDate)
        throws -> CommunityFigures
    {
        if let figures = cached(community, version: version, today: today) { return figures }
        // The version is read before the figures: an op that lands meanwhile makes the
        // entry stale at once, never hides behind it.
        let figures = try CommunityFigures(desk.loop(community), from: LocalDate(year: today.year, month: 1, day: 1), to: today,
                                           conflicts: try conflicts())
        lock.withLock { entries[community] = Entry(version: version, day: today, figures: figures) }
        return figures
    }
}
