import Foundation
import PostgresNIO
import Testing
import YishiPostgres
import YishiTestSupport

/// The arrival log on a real PostgreSQL server, stored into and read from by several
/// clients at once, as several central processes would.
@Suite(.enabled(if: TestDatabase.available, "needs the test cluster: YISHI_TEST_POSTGRES (scripts/postgres-cluster)"))
struct ArrivalLogTests {
    static func entry(_ origin: String, _ counter: Int64, _ scope: String) -> ArrivalLog.Entry {
        ArrivalLog.Entry(origin: origin, counter: counter, scope: scope, line: #"{"o":"\#(origin)","c":\#(counter),"s":"\#(scope)"}"#)
    }

    @Test func storesEachOpOnceAndHandsThemOutInArrivalOrder() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { database in
                let log = database.log
                let first = (1...5).map { Self.entry("HL3-01", $0, "HL3") }
                #expect(try await log.store(first) == 5)
                // A retry of the same batch, and a batch that overlaps it.
                #expect(try await log.store(first) == 0)
                #expect(try await log.store((4...7).map { Self.entry("HL3-01", $0, "HL3") } + [Self.entry("HL3-02", 1, "HL3")]) == 3)
                #expect(try await log.store([Self.entry("DX1-01", 1, "DX1")]) == 1)

                // Station 02 pulls its community without its own op, in the order stored.
                let pulled = try await log.arrivals(after: 0, scope: "HL3", excluding: "HL3-02", limit: 100)
                #expect(pulled.lines == (1...7).map { Self.entry("HL3-01", $0, "HL3").line })
                #expect(!pulled.more)
                #expect(try await log.arrivals(after: pulled.cursor, scope: "HL3", excluding: nil, limit: 100).lines.isEmpty)
                #expect(try await log.arrivalCount(after: 0, scope: "HL3", excluding: "HL3-02") == 7)

                // In pages: the cursor moves past an excluded op too, and `more` says so.
                var cursor: Int64 = 0
                var lines: [String] = []
                var pages = 0
                while true {
                    let page = try await log.arrivals(after: cursor, scope: "HL3", excluding: "HL3-01", limit: 3)
                    lines += page.lines
                    cursor = page.cursor
                    pages += 1
                    if !page.more { break }
                }
                #expect(lines == [Self.entry("HL3-02", 1, "HL3").line])
                #expect(pages == 3)
                #expect(try await log.counts() == ["HL3": 8, "DX1": 1])
            }
        }
    }

    /// Two processes receive the same ops at the same moment (a station's retry that
    /// reached the other process behind the balancer): each op is stored once.
    @Test func twoProcessesStoringTheSameOpsAtOnceStoreThemOnce() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password) { one in
                try await TestDatabase.withCentral(location, password) { two in
                    let batches = (0..<20).map { round in (1...50).map { Self.entry("HL3-0\(round % 4)", Int64($0), "HL3") } }
                    let stored = try await withThrowingTaskGroup(of: Int.self) { group in
                        for batch in batches {
                            group.addTask { try await one.log.store(batch) }
                            group.addTask { try await two.log.store(batch.reversed()) }
                        }
                        return try await group.reduce(0, +)
                    }
                    #expect(stored == 200)
                    #expect(try await one.log.counts() == ["HL3": 200])
                }
            }
        }
    }

    /// The arrival order under concurrent commits: writers in two processes store batches
    /// into three communities while each community's station pulls again and again through
    /// either process, and a follower reads every community by `(tx, seq)`. A pull or a
    /// follow that passed over a number committed a moment later would lose that op for
    /// good: every reader must end with every op of what it reads, none twice.
    @Test func noReaderPassesOverAnOpCommittedLater() async throws {
        try await TestDatabase.withFresh { location, password in
            try await TestDatabase.withCentral(location, password, connections: 12) { one in
                try await TestDatabase.withCentral(location, password, connections: 12) { two in
                    let processes = [one, two]
                    let scopes = ["HL3", "DX1", "QJ2"]
                    let done = Flag()

                    // Each community's station, pulling small pages through either process.
                    async let pulled = withThrowingTaskGroup(of: (String, [String]).self) { group in
                        for (index, scope) in scopes.enumerated() {
                            group.addTask {
                                var rng = SplitMix(seed: UInt64(100 + index))
                                var cursor: Int64 = 0
                                var lines: [String] = []
                                while true {
                                    let finished = done.total != nil
                                    let page = try await processes[Int(rng.next() % 2)].log
                                        .arrivals(after: cursor, scope: scope, excluding: nil, limit: 25)
                                    lines += page.lines
                                    cursor = page.cursor
                                    if finished && !page.more { break }
                                    if page.lines.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
                                }
                                return (scope, lines)
                            }
                        }
                        var all: [String: [String]] = [:]
                        for try await (scope, lines) in group { all[scope] = lines }
                        return all
                    }
                    // A process's own replica, following every community, each by its own cursor.
                    async let followed: [String] = {
                        var cursors: [String: Int64] = [:]
                        var lines: [String] = []
                        while true {
                            let total = done.total
                            let page = try await two.log.follow(after: try await two.log.moved(since: { cursors[$0] ?? 0 }), limit: 40)
                            lines += page.entries.map(\.line)
                            cursors.merge(page.cursors, uniquingKeysWith: { $1 })
                            // Done when it holds what was written; a follower that passed
                            // over an op would wait for it in vain, and is failed below.
                            if let total, page.entries.isEmpty, lines.count >= total || done.since > .seconds(60) { return lines }
                            if page.entries.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
                        }
                    }()

                    // Writers in both processes, each a station storing batches of its ops.
                    let written = try await withThrowingTaskGroup(of: [String: [String]].self) { group in
                        for writer in 0..<8 {
                            group.addTask {
                                var rng = SplitMix(seed: UInt64(writer + 1))
                                var written: [String: [String]] = [:]
                                var counter: Int64 = 0
                                for round in 0..<40 {
                                    let scope = scopes[Int(rng.next() % 3)]
                                    let batch = (0..<Int(rng.next() % 30 + 1)).map { _ in
                                        counter += 1
                                        return Self.entry("W\(writer)", counter, scope)
                                    }
                                    try await processes[round % 2].log.store(batch)
                                    written[scope, default: []] += batch.map(\.line)
                                }
                                return written
                            }
                        }
                        var all: [String: [String]] = [:]
                        for try await part in group { all.merge(part, uniquingKeysWith: +) }
                        return all
                    }
                    done.set(total: written.values.map(\.count).reduce(0, +))

                    let pulls = try await pulled
                    let follow = try await followed
                    for scope in scopes {
                        let lines = pulls[scope] ?? []
                        #expect(lines.count == Set(lines).count, "\(scope): an op pulled twice")
                        #expect(Set(lines) == Set(written[scope] ?? []), "\(scope): pulled \(lines.count) of \(written[scope]?.count ?? 0)")
                    }
                    let all = written.values.flatMap { $0 }
                    #expect(follow.count == Set(follow).count, "an op followed twice")
                    #expect(Set(follow) == Set(all), "followed \(Set(follow).count) of \(all.count)")
                    #expect(all.count > 1_000)
                }
            }
        }
    }
}

/// Set once, when the writers are done, with how many ops they wrote; read by many.
final class Flag: @unchecked Sendable {
    private var value: (total: Int, at: ContinuousClock.Instant)?
    private let lock = NSLock()
    func set(total: Int) { lock.withLock { value = (total, .now) } }
    var total: Int? { lock.withLock { value?.total } }
    /// How long ago it was set (zero before).
    var since: Duration { lock.withLock { value.map { .now - $0.at } ?? .zero } }
}
