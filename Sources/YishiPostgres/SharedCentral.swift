import Foundation
import Logging
import Synchronization
import YishiCentral
import YishiMerge
import YishiStore
import YishiSync
import YishiTrust

/// One central process among several on one PostgreSQL database. Pushes are stored and
/// pulls answered from the database, so every process gives a station the same answer;
/// the process keeps its own SQLite replica in its `--data` folder as a view of the log,
/// applied by the store the stations use, for the office desk's pages. A process started
/// on an empty folder catches up from the database alone; a process that is lost costs
/// nothing but its folder.
public final class SharedCentral: CentralStore {
    public let database: CentralDatabase
    var log: ArrivalLog { database.log }
    /// This process's view of every community, applied from the log.
    public let replica: Replica
    let logger: Logger
    private let state = Mutex(FollowState())
    /// Ends the follower's wait when a store is made, here or in another process.
    private let wake = FollowerWake()
    /// Per origin of this view, how far the database is known to hold its ops (`ship`).
    private let shippedUpTo = Mutex<[ReplicaID: UInt64]>([:])
    /// The street's key: it signs what the office writes through this process when it is
    /// shipped, and attests what the log holds with no checkpoint of its own.
    public let street: StreetKey
    /// Each community's directory, to check what the view applies against.
    let directories: CentralDirectory

    struct FollowState {
        var applied = 0
        /// Until the view has once held everything the log had (a new process's first
        /// catch-up, or a restart's after a long stop).
        var caughtUp = false
        /// Why the view stopped following, if it did.
        var failure: String?
    }

    /// The view's place in a community's part of the log, kept in the replica with the
    /// ops it covers.
    static func followKey(_ scope: String) -> String { "pg_follow." + scope }

    public init(database: CentralDatabase, data: DataDirectory, street: StreetKey, logger: Logger) throws {
        self.database = database
        self.logger = logger
        self.street = street
        directories = CentralDirectory(street: street, stations: database.stations) { [log = database.log] origin, key in
            try await log.checkpointReach(origin: origin, key: key.rawValue)
        }
        if FileManager.default.fileExists(atPath: data.database.path) {
            replica = try Replica.open(data, mappedMegabytes: 16_384)
            guard Self.isView(replica.replica.rawValue) else {
                let whose = replica.replica.rawValue == CentralNode.replicaID ? "单机中心" : "站点 \(replica.replica)"
                throw SyncSetupError("\(data.url.path) 是\(whose)的数据目录，不能做共用数据库的中心进程的目录。请给这个进程一个空目录（它会从数据库取回全部记录）。")
            }
        } else {
            try FileManager.default.createDirectory(at: data.url, withIntermediateDirectories: true)
            replica = try Replica.create(at: data, replica: Self.newViewID(), community: CentralNode.replicaID)
            try replica.writeEachCommunityUnderItsOwnOrigin()
        }
    }

    /// Refuses a folder that follows another central's database, or a database older than
    /// the folder (restored from a backup): its places in the log would then pass over
    /// ops stored from now on. A new folder takes the database's identity.
    public func checkFolder() async throws {
        let identity = try await database.identity()
        if let followed = try replica.note(Self.identityKey), followed != identity {
            throw SyncSetupError("\(replica.directory.url.path) 是另一个中心数据库的副本，不能跟随 \(database.location)。请给这个进程一个空目录（它会从数据库取回全部记录）。")
        }
        for (scope, head) in try await log.heads() where Int64(clamping: try replica.number(Self.followKey(scope))) > head {
            throw SyncSetupError("数据库 \(database.location) 里社区 \(scope) 的记录比目录 \(replica.directory.url.path) 里的少：数据库可能从备份恢复过。请给这个进程一个空目录，它会从数据库重新取回全部记录。")
        }
        try replica.setNote(Self.identityKey, identity)
    }

    static let identityKey = "pg_central"

    /// Each process's view has a replica id of its own (`central-1a2b3c4d`), so the
    /// office's writes through different processes have different origins
    /// (`central-1a2b3c4d.HL3`) and never take the same dot. A single central's own
    /// (`central`, whose writes a migration carried over as `central.HL3`) is not one.
    static func newViewID() -> String {
        var generator = SystemRandomNumberGenerator()
        return CentralNode.replicaID + "-" + (0..<4).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    static func isView(_ id: String) -> Bool { id.hasPrefix(CentralNode.replicaID + "-") }

    public var stations: any StationDirectory { database.stations }

    public var catchingUp: Bool { !state.withLock(\.caughtUp) }

    /// Stores a push in the shared log, and acknowledges it once it is there: the log is
    /// what must be durable, and what pulls and every process's view read. This process's
    /// view applies it on the follower's next round, woken at once, as every other process's
    /// does on the database's notice; so a station's push costs the database's insert, not
    /// an apply in each of the office's processes first (PROTOCOL.md, "Several central
    /// processes"). What every replica checks before it applies is checked first: the push's
    /// proofs against the directory and the heads the log holds (YishiTrust), the rules of
    /// origin, and, against this process's view, a field written as another kind. A dot held
    /// with other content, or a run that does not continue what the log holds, is refused
    /// by the log itself, under the community's lock.
    public func store(_ ops: [Op], proofs: [RunProof], directory: KeyDirectory, street: SigningKey, attesting: Set<ReplicaID>) async throws -> Int {
        guard !ops.isEmpty else { return 0 }
        try await checkAgainstView(ops, directory: directory)
        let lines = ops.map(OpCodec.encodedBytes)
        let split = ChainRun.split(zip(ops, lines).map { ($0.dot, OriginChain.opHash($1)) })
        let runs = split.runs
        let held = try await log.heads(at: runs.flatMap { run in
            (run.from > 1 ? [(run.origin.rawValue, Int64(run.from - 1))] : []) + [(run.origin.rawValue, Int64(run.to))]
        })
        let known = { (origin: ReplicaID, counter: UInt64) -> [UInt8]? in
            counter == 0 ? OriginChain.seed(origin) : held["\(origin.rawValue)#\(counter)"]
        }
        let verified: [VerifiedRun]
        do {
            let proved = try ProvenanceCheck.attesting(runs, proofs: proofs, origins: attesting, street: street, known: known)
            verified = try ProvenanceCheck.verify(runs, proofs: proved, directory: directory, known: known)
        } catch let refusal as ProvenanceError {
            throw StoreError.provenance(refusal, source: .push)
        }
        let entries = ops.indices.map { index in
            let (op, position) = (ops[index], split.positions[index])
            return ArrivalLog.Entry(origin: op.dot.replica.rawValue, counter: Int64(op.dot.counter), scope: op.scope,
                                    line: String(decoding: lines[index], as: UTF8.self), chain: verified[position.run].heads[position.offset])
        }
        let continuing = verified.compactMap { run -> ArrivalLog.ChainPlace? in
            guard run.from > 1, let before = run.anchor ?? known(run.origin, run.from - 1) else { return nil }
            return ArrivalLog.ChainPlace(origin: run.origin.rawValue, counter: Int64(run.from - 1), head: before)
        }
        do {
            let stored = try await log.store(entries, checkpoints: verified.flatMap(\.checkpoints), continuing: continuing)
            if stored > 0 { wake.signal() }
            return ops.count - stored
        } catch let reused as ArrivalLog.Reused {
            throw MergeError.dotReused(Dot(replica: ReplicaID(rawValue: reused.origin)!, counter: UInt64(reused.counter)))
        }
    }

    /// What an apply would check that needs the records' state, against this process's
    /// view: the rules of origin (a record's community among them), a field written as
    /// another kind, a text edit naming a sentence not there. The view applies the log in the
    /// background and may not hold yet what an earlier push stored: a batch that fails is
    /// checked again once the view has caught up with its communities, before it is refused.
    private func checkAgainstView(_ ops: [Op], directory: KeyDirectory) async throws {
        let check = { @Sendable [replica] () throws in
            let rules = OriginRules(community: CentralNode.replicaID, directory: directory)
            let recordScopes = try replica.scopes(ofRecords: Array(Set(ops.map(\.record))))
            var firstScopes: [String: String] = [:]
            do {
                for op in ops {
                    try rules.check(op) { recordScopes[op.record] ?? firstScopes[op.record] }
                    firstScopes[op.record] = firstScopes[op.record] ?? op.scope
                }
            } catch let refusal as ProvenanceError {
                throw StoreError.provenance(refusal, source: .push)
            }
            try replica.checkFieldKinds(of: ops)
            try replica.checkTextEdits(of: ops)
        }
        do {
            try await offloaded(check)
        } catch let refusal as StoreError where refusal.isRefusedOp {
            guard try await viewHolds(Set(ops.map(\.scope)), within: .seconds(10)) else { throw refusal }
            try await offloaded(check)
        }
    }

    /// Waits until the view holds everything the log holds of `scopes` (it is woken at once);
    /// true if it did, false if it had held it already or did not within `limit`.
    private func viewHolds(_ scopes: Set<String>, within limit: Duration) async throws -> Bool {
        var behind = try await placesBehind().keys.filter(scopes.contains)
        guard !behind.isEmpty else { return false }
        let deadline = ContinuousClock.now + limit
        while !behind.isEmpty, ContinuousClock.now < deadline {
            wake.signal()
            try await Task.sleep(for: .milliseconds(50))
            behind = try await placesBehind().keys.filter(scopes.contains)
        }
        return behind.isEmpty
    }

    public func proofs(for runs: [(origin: ReplicaID, from: UInt64, to: UInt64)], directory: KeyDirectory, street: SigningKey) async throws
        -> [RunProof]
    {
        let heads = try await log.heads(at: runs.flatMap { run in
            (run.from > 1 ? [(run.origin.rawValue, Int64(run.from - 1))] : []) + [(run.origin.rawValue, Int64(run.to))]
        })
        let kept = try await log.checkpoints(at: runs.map { ($0.origin.rawValue, Int64($0.to)) })
        return runs.map { run in
            RunProof.relayed(origin: run.origin, from: run.from, to: run.to, before: heads["\(run.origin.rawValue)#\(run.from - 1)"],
                             head: heads["\(run.origin.rawValue)#\(run.to)"], kept: kept.filter { $0.origin == run.origin },
                             directory: directory, street: street)
        }
    }

    public func attestations(for heads: [(origin: ReplicaID, counter: UInt64)], directory: KeyDirectory, street: SigningKey) async throws
        -> [Checkpoint]
    {
        try await proofs(for: heads.map { ($0.origin, $0.counter + 1, $0.counter) }, directory: directory, street: street).flatMap(\.checkpoints)
    }

    public func checkpointReach(origin: String, key: KeyID) async throws -> UInt64 {
        try await log.checkpointReach(origin: origin, key: key.rawValue)
    }

    /// Whether this process's view holds every op the log holds now.
    public func holdsEverything() async throws -> Bool {
        try await placesBehind().isEmpty
    }

    /// The communities whose part of the log is past the view's place, with that place.
    private func placesBehind() async throws -> [String: Int64] {
        try await log.moved(since: { [replica] in Int64(clamping: try replica.number(Self.followKey($0))) })
    }

    public func arrivals(after cursor: UInt64, scope: String, excluding: ReplicaID?, limit: Int) async throws -> Arrivals {
        let found = try await log.arrivals(after: Int64(clamping: cursor), scope: scope, excluding: excluding?.rawValue, limit: limit)
        return Arrivals(lines: found.lines, dots: found.dots, cursor: UInt64(max(0, found.cursor)), more: found.more)
    }

    public func arrivalCount(after cursor: UInt64, scope: String) async throws -> UInt64 {
        UInt64(try await log.arrivalCount(after: Int64(clamping: cursor), scope: scope))
    }

    public func held(of origin: ReplicaID) async throws -> UInt64 {
        try await log.held(of: origin.rawValue)
    }

    public func lag(of station: StationRegistry.Station) async throws -> Int {
        try await log.arrivalCount(after: Int64(clamping: station.cursor), scope: station.community, excluding: station.replica)
    }

    public func health() async throws -> String {
        let health = await database.health()
        guard health.answers, let schema = health.schema else {
            // The reason already says that the database does not answer, and why.
            throw CentralUnavailable(health.reason ?? "中心的数据库现在连不上，没有回应。")
        }
        let (applied, failure) = state.withLock { ($0.applied, $0.failure) }
        // The database's address stays off this page: the monitoring's own reading is enough.
        var text = "数据库：PostgreSQL，结构第 \(schema) 版\n本机副本：已从数据库应用 \(applied) 条修改\n"
        let set = try quarantined()
        if !set.isEmpty {
            text += "本机副本隔离了 \(set.count) 条无法应用的修改（其余照常跟随）：\n"
            for item in set.suffix(10) { text += "  \(item.dot)（社区 \(item.scope)）：\(item.reason)\n" }
        }
        if let failure { text += "本机副本停止跟随：\(failure)\n" }
        return text
    }

    /// Applies what the log holds beyond the view's place, until nothing is left; returns
    /// how many ops that was. Ops and the new place are written in one transaction, and the
    /// records they touched are indexed for search right after, so a search never has a
    /// district's backlog to index first.
    ///
    /// Catching up a district is the view's longest work, so it is shaped for speed: each
    /// page asks the few communities furthest behind for long runs of their own ops (one
    /// community's records lie together in the replica, and a record's ops mostly land in
    /// one page, so it is indexed once), and the next page is read from the database on
    /// another thread while this one is applied.
    @discardableResult
    public func catchUp(batch: Int = 10_000, communities spread: Int = 4) async throws -> Int {
        var total = 0
        while !Task.isCancelled {
            var behind = try await placesBehind()
            guard !behind.isEmpty else {
                state.withLock { $0.caughtUp = true }
                return total
            }
            var asking = Self.furthestBehind(behind, spread)
            var reading: Task<Reading, any Error>? = read(asking, batch: batch)
            defer { reading?.cancel() }
            while let next = reading, !Task.isCancelled {
                let (page, decoded) = try await next.value
                // A community that gave less than its share has nothing more for now; the
                // next round of following asks it again.
                for scope in asking.keys { behind[scope] = page.more.contains(scope) ? page.cursors[scope] : nil }
                asking = Self.furthestBehind(behind, spread)
                reading = asking.isEmpty ? nil : read(asking, batch: batch)
                guard !page.entries.isEmpty else { continue }
                let place = Dictionary(uniqueKeysWithValues: page.cursors.map { (Self.followKey($0.key), UInt64($0.value)) })
                let (ops, unreadable) = decoded
                for (entry, reason) in unreadable { try quarantine(origin: entry.origin, counter: entry.counter, scope: entry.scope, reason) }
                try await apply(ops, setting: place)
                total += page.entries.count
                state.withLock { $0.applied += page.entries.count }
            }
        }
        return total
    }

    /// Applies a page, its places in the log with it. An op the view cannot take (one no
    /// replica would apply: a sentence that is not there, a field of another kind, an op that
    /// proves nothing) is set aside — noted, logged, shown in /healthz and on the 站点 page —
    /// and the page applied without it: one bad op in the log never stops every view. Ops
    /// that depend on it wait, held, as a station's would. Only a failure of the view itself
    /// (its disk) stops the following.
    private func apply(_ ops: [Op], setting place: [String: UInt64]) async throws {
        var pending = ops
        while true {
            // Proved again after an op is set aside: the runs around it are others now.
            let groups = try await proved(pending)
            do {
                _ = try await offloaded { [replica] in
                    try replica.receive(proved: groups, setting: place)
                    try replica.updateSearchIndex()
                }
                return
            } catch let refusal as StoreError {
                guard let op = refusal.concerned(among: pending) else { throw ApplyFailure(underlying: refusal) }
                try quarantine(origin: op.dot.replica.rawValue, counter: Int64(op.dot.counter), scope: op.scope, refusal.description)
                pending.removeAll { $0.dot == op.dot }
            } catch {
                throw ApplyFailure(underlying: error)
            }
        }
    }

    /// Sets aside an op of the log the view cannot take, saying why.
    private func quarantine(origin: String, counter: Int64, scope: String, _ reason: String) throws {
        logger.error("本机副本无法应用数据库里的修改 \(origin):\(counter)（社区 \(scope)），已将它隔离，继续跟随：\(reason)")
        try replica.setNote(Self.quarantineKey + "\(origin):\(counter)", "\(scope)\t\(reason)")
    }

    static let quarantineKey = "quarantine."

    /// The ops the view set aside, with their community and why, newest counters last.
    public func quarantined() throws -> [(dot: String, scope: String, reason: String)] {
        try replica.notes(prefix: Self.quarantineKey).map { key, value in
            let parts = value.split(separator: "\t", maxSplits: 1).map(String.init)
            return (String(key.dropFirst(Self.quarantineKey.count)), parts.first ?? "", parts.count > 1 ? parts[1] : "")
        }
    }

    /// A page's ops by community, each with what the log holds to check them by: the head
    /// it recorded before and at the end of each run (when the run was proved at the push),
    /// the checkpoints it keeps there, and the community's directory. The view then checks
    /// each op's line against the head the storing process recorded, and each checkpoint
    /// against its key, as a station checks a pull — with two queries for the whole page,
    /// and no signature made.
    private func proved(_ ops: [Op]) async throws -> [ProvedOps] {
        let byScope = Dictionary(grouping: ops, by: \.scope).sorted { $0.key < $1.key }
        let keys = try await directories.directories(for: byScope.map(\.key))
        let spans = byScope.map { ChainRun.spans(of: $0.value.map(\.dot)) }
        let all = spans.flatMap { $0 }
        let heads = try await log.heads(at: all.flatMap { run in
            (run.from > 1 ? [(run.origin.rawValue, Int64(run.from - 1))] : []) + [(run.origin.rawValue, Int64(run.to))]
        })
        let kept = try await log.checkpoints(at: all.map { ($0.origin.rawValue, Int64($0.to)) })
        return zip(byScope, spans).map { group, runs in
            let proofs = runs.map { run in
                RunProof(origin: run.origin, from: run.from, before: heads["\(run.origin.rawValue)#\(run.from - 1)"],
                         checkpoints: kept.filter { $0.origin == run.origin && $0.counter == run.to })
            }
            var recorded: [String: [UInt8]] = [:]
            for run in runs { recorded["\(run.origin.rawValue)#\(run.to)"] = heads["\(run.origin.rawValue)#\(run.to)"] }
            return ProvedOps(ops: group.value, proofs: proofs, directory: keys[group.key]!, recorded: recorded)
        }
    }

    /// The `count` communities whose places are furthest back in the log.
    static func furthestBehind(_ behind: [String: Int64], _ count: Int) -> [String: Int64] {
        guard behind.count > count else { return behind }
        return Dictionary(uniqueKeysWithValues: behind.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(count).map { ($0.key, $0.value) })
    }

    /// A page of the log, and its ops decoded (or why a line could not be).
    typealias Reading = (page: ArrivalLog.Page, ops: (read: [Op], unreadable: [(ArrivalLog.Entry, String)]))

    /// A page of the log read and decoded on a task of its own, so the view applies the
    /// last one meanwhile (the two take about a core each while catching up).
    private func read(_ cursors: [String: Int64], batch: Int) -> Task<Reading, any Error> {
        Task { [log] in
            let page = try await log.follow(after: cursors, limit: batch)
            var read: [Op] = [], unreadable: [(ArrivalLog.Entry, String)] = []
            for entry in page.entries {
                do { read.append(try OpCodec.decode(Array(entry.line.utf8))) } catch { unreadable.append((entry, "\(error)")) }
            }
            return (page, (read, unreadable))
        }
    }

    /// Follows the log until cancelled: at once when a store is made through this process
    /// or the database notifies one made through another (LISTEN), and every `interval`
    /// in any case, should a notice be lost while the database was away. A database that
    /// does not answer is tried again; an op the view cannot apply stops the following,
    /// says why in the log and in /healthz, and is never skipped.
    public func follow(every interval: Duration = .milliseconds(250)) async {
        let listening = Task { [log, wake] in await log.listen { _ in wake.signal() } }
        await following(every: interval)
        // Its connection goes back to the pool before the caller may close the pool.
        listening.cancel()
        await listening.value
    }

    private func following(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await ship()
                try await catchUp()
            } catch let failure as ApplyFailure {
                logger.error("本机副本无法应用数据库里的修改，已停止跟随：\(failure.underlying)")
                state.withLock { $0.failure = "\(failure.underlying)" }
                return
            } catch {
                // The database is away (CentralUnavailable); the next round tries again.
                logger.debug("跟随数据库暂时失败：\(error)")
            }
            await wake.wait(upTo: interval)
        }
    }

    /// Sends what the office wrote through this process (the desk's answers, residents'
    /// submissions on the board: the view's own origins, one per community) to the
    /// database, where stations and the other processes read it; returns how many ops were
    /// new there. Runs with every round of following, so what a process killed in between
    /// had not sent goes when it starts again on its folder.
    ///
    /// An origin whose newest op this process has shipped already is not asked after again:
    /// the follower makes a round on every store's notice, and a view that has written for
    /// 300 communities would otherwise ask the database 300 times a round.
    @discardableResult
    public func ship(batch: Int = 2_000) async throws -> Int {
        var shipped = 0
        for (origin, newest) in try replica.ownCommunityOrigins() {
            if let sent = shippedUpTo.withLock({ $0[origin] }), sent >= newest { continue }
            var held = try await log.held(of: origin.rawValue)
            while !Task.isCancelled {
                let found = try replica.ops(of: origin, after: held, limit: batch)
                guard let first = found.counters.first, let last = found.counters.last else { break }
                // Signed by the street as it leaves this process: the batch's run proves itself.
                let proof = try replica.proof(of: origin, from: first, to: last, signers: [street.signing])
                let run = ChainRun(origin: origin, from: first, hashes: found.lines.map { OriginChain.opHash(Array($0.utf8)) })
                let heads = try ProvenanceCheck.heads(of: run) { $1 == first - 1 ? proof.before : nil } ?? []
                let entries = try zip(found.lines, found.counters).enumerated().map { index, item in
                    ArrivalLog.Entry(origin: origin.rawValue, counter: Int64(item.1), scope: try OpCodec.decode(Array(item.0.utf8)).scope,
                                     line: item.0, chain: index < heads.count ? heads[index] : nil)
                }
                let continuing = proof.before.map { [ArrivalLog.ChainPlace(origin: origin.rawValue, counter: Int64(first - 1), head: $0)] } ?? []
                shipped += try await log.store(entries, checkpoints: proof.checkpoints, continuing: continuing)
                held = last
            }
            shippedUpTo.withLock { $0[origin] = held }
        }
        return shipped
    }

    /// The view could not take an op the log holds: following stops there.
    struct ApplyFailure: Error {
        var underlying: any Error
    }
}
