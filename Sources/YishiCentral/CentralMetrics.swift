import Foundation
import Synchronization

/// Counters the central exposes at /metrics in the Prometheus text format.
final class CentralMetrics: Sendable {
    private struct Counts {
        var stored = 0
        var duplicates = 0
        var refusals: [String: Int] = [:]
    }

    private let counts = Mutex(Counts())

    func stored(_ count: Int, duplicates: Int) {
        counts.withLock {
            $0.stored += count
            $0.duplicates += duplicates
        }
    }

    func refused(_ reason: String) {
        counts.withLock { $0.refusals[reason, default: 0] += 1 }
    }

    /// `lag` is, per station, how many arrivals in its scope have not been sent to it yet.
    func exposition(lag: [(station: String, ops: Int)]) -> String {
        let snapshot = counts.withLock { $0 }
        var text = """
            # HELP yishi_ops_stored_total Ops stored for the first time since the central started.
            # TYPE yishi_ops_stored_total counter
            yishi_ops_stored_total \(snapshot.stored)
            # HELP yishi_ops_duplicate_total Ops received again (retries) since the central started.
            # TYPE yishi_ops_duplicate_total counter
            yishi_ops_duplicate_total \(snapshot.duplicates)
            # HELP yishi_refusals_total Requests refused, by reason.
            # TYPE yishi_refusals_total counter

            """
        for (reason, count) in snapshot.refusals.sorted(by: { $0.key < $1.key }) {
            text += "yishi_refusals_total{reason=\"\(reason)\"} \(count)\n"
        }
        text += "# HELP yishi_station_lag_ops Ops in a station's community not yet sent to it.\n# TYPE yishi_station_lag_ops gauge\n"
        for entry in lag { text += "yishi_station_lag_ops{station=\"\(entry.station)\"} \(entry.ops)\n" }
        return text
    }
}
