/// yishi-bench: prints the store's speed and size figures beside a baseline measured in
/// the same run. Build and run in release:
///   bash scripts/build-release && bash scripts/build-release yishi-bench && .build/release/yishi-bench [--quick] [--root DIR] [local] [decode] [remote] [text] [sync] [desk] [office] [start] [board] [progress]
/// With no section named, all run.
import Foundation

let sections = [
    ("local", "本站修改：与同样持久性的普通 SQLite 对比"),
    ("decode", "解码其他站点的操作行：每秒行数"),
    ("remote", "应用其他站点的修改：每秒条数、日志字节数"),
    ("text", "两份 20 KB 中文纪要的合并"),
    ("sync", "经回环地址与中心同步：吞吐、线上字节、站点服务内存"),
    ("desk", "站点工作台：1 万个议题时页面的 p50/p99，服务的 RSS/PSS"),
    ("office", "街道工作台：300 个社区 × 2000 个议题时总览、社区页面和检索的 p50/p99"),
    ("start", "站点服务从启动到 READY 的时间和内存（--root 给出装好软件包的系统时，测安装后的程序）"),
    ("board", "居民公示栏：300 个社区时各公开页面的 p50/p99，wrk 压测公示栏时的同步速度"),
    ("postgres", "中心写入 PostgreSQL：50 个站点同时上传，SQLite 中心、一个和两个 PostgreSQL 中心进程"),
    ("progress", "进度显示的代价：同一份日志的 journal verify 和 rebuild，显示与不显示进度"),
]
var arguments = Array(CommandLine.arguments.dropFirst())
// `--root DIR`: a Debian box (a chroot) the package is installed and set up in.
var root: String?
if let index = arguments.firstIndex(of: "--root"), index + 1 < arguments.count {
    root = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
}
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
        用法：yishi-bench [--quick] [部分…]
        在同一次运行中测出各项数字，并与基线并列打印。不指定部分时全部运行。

        部分：
        \(sections.map { "  \($0.0.padding(toLength: 8, withPad: " ", startingAt: 0))\($0.1)" }.joined(separator: "\n"))

        选项：
          --quick       用较小的数据量快速跑一遍
          --root 目录   start 部分测这个系统里安装的 yishi（chroot，以 yishi 用户和已安装的配置运行）
          --help        显示本说明
        """)
    exit(0)
}
let quick = arguments.contains("--quick")
let named = Set(arguments.filter { !$0.hasPrefix("-") })
if let unknown = named.first(where: { name in !sections.contains { $0.0 == name } }) {
    FileHandle.standardError.write(Data("错误：没有“\(unknown)”这一部分；可选：\(sections.map(\.0).joined(separator: "、"))。\n".utf8))
    exit(2)
}
if let option = arguments.first(where: { $0.hasPrefix("-") && $0 != "--quick" }) {
    FileHandle.standardError.write(Data("错误：不认识的选项“\(option)”；用 --help 查看用法。\n".utf8))
    exit(2)
}
/// Whether `name` runs. Asked before each section, it first flushes what the sections before
/// printed: into a file, a later section that fails must not take their figures with it.
func section(_ name: String) -> Bool {
    fflush(nil)
    return named.isEmpty || named.contains(name)
}
let localCount = quick ? 300 : 3_000
let remoteCount = quick ? 20_000 : 200_000

print("Yishi benchmark — \(quick ? "quick" : "full") run, \(ProcessInfo.processInfo.activeProcessorCount) cores")
print("")

if section("local") {
let local = try LocalEditBenchmark.run(count: localCount)
print("Local edits (\(localCount), one transaction + journal fsync each)")
print("  yishi replica                      \(Measure.rate(localCount, local.ours.wall))")
print("  plain SQLite, synchronous=FULL      \(Measure.rate(localCount, local.plainFull.wall))   (same durability: one fsync per edit)")
print("  plain SQLite, synchronous=NORMAL    \(Measure.rate(localCount, local.plainNormal.wall))   (not durable on power loss)")
print(String(format: "  ratio yishi / plain FULL           %9.2f×  (time per edit; goal ≤ 1.5×)", local.ours.wall / local.plainFull.wall))
// Where an edit's time goes: its own code (user), the kernel's work for it (system, the
// syncs' included), and the rest, waiting for the disk.
func perEdit(_ seconds: Double) -> Double { seconds / Double(localCount) * 1e6 }
for (name, figures) in [("yishi     ", local.ours), ("plain FULL", local.plainFull)] {
    print("  per edit, \(name)           " + String(format: "%6.0f µs   (user %.0f µs, system %.0f µs, waiting %.0f µs)",
                 perEdit(figures.wall), perEdit(figures.user), perEdit(figures.system),
                 perEdit(max(0, figures.wall - figures.user - figures.system))))
}
// One journal-sized line synced three ways: what the journal's own sync costs, what
// reserving its blocks ahead changes (its length still grows), and what a sync costs when
// the file's length does not change.
for (how, seconds, note) in [("growing", local.syncGrowing, "appended, as the journal is"),
                             ("fallocated", local.syncPreallocated, "appended into blocks fallocate reserved past the end"),
                             ("in place", local.syncInPlace, "over bytes already there, as a checkpointed WAL is")] {
    print("  252-byte line + fdatasync, " + how.padding(toLength: 11, withPad: " ", startingAt: 0)
          + String(format: "%5.0f µs   (%@)", perEdit(seconds), note))
}
print("")
}

if section("decode") {
let decode = try DecodeBenchmark.run(count: remoteCount)
print(String(format: "Op lines decoded (%d, %.0f bytes each on average, every check made)", decode.lines, decode.bytesPerLine))
print("  OpCodec.decode                     \(Measure.rate(decode.lines, decode.decoderSeconds))   (goal ≥ 1,000,000/s)")
print("  JSONSerialization alone, no checks  \(Measure.rate(decode.lines, decode.foundationSeconds))   (baseline: the previous decoder's parse)")
print(String(format: "  compact wire form (%.0f bytes each)     ", decode.compactBytesPerLine) + "\(Measure.rate(decode.lines, decode.compactSeconds))   (sync batches of 5,000, before gzip)")
print("")
}

if section("remote") {
let remote = try RemoteApplyBenchmark.run(count: remoteCount, batch: 5_000)
print("Remote ops applied (\(remoteCount) from another station, batches of 5,000)")
print("  apply into replica                 \(Measure.rate(remoteCount, remote.seconds))   (goal ≥ 150,000/s)")
print("  the same, CPU time only            \(Measure.rate(remoteCount, remote.cpuSeconds))   (the disk's fsync waits left out)")
print("  SQLite alone, the same statements  \(Measure.rate(remoteCount, remote.floorSeconds))   (baseline: rows worked out beforehand, C API)")
let proved = try RemoteApplyBenchmark.runProved(count: remoteCount, batch: 5_000)
print("  every batch proved and checked     \(Measure.rate(remoteCount, proved.seconds))   (a pull from a central that signs: chain, checkpoint, rules of origin)")
print("  the same, CPU time only            \(Measure.rate(remoteCount, proved.cpuSeconds))")
print(String(format: "  journal bytes per op               %9.1f", remote.journalBytesPerOp))
print(String(format: "  digest of the whole replica        %9.3f s", remote.digestSeconds))
print("")
}

if section("text") {
let save = try TextSaveBenchmark.run(saves: quick ? 50 : 300)
print("Saving minutes (\(save.bytes) bytes, one sentence changed per save, in memory)")
print(String(format: "  sentence diff and op               %9.2f ms per save   (goal ≤ 2 ms)", save.textSeconds * 1000 / Double(quick ? 50 : 300)))
print(String(format: "    of which splitting into sentences %8.2f ms", save.splitSeconds * 1000 / Double(quick ? 50 : 300)))
print(String(format: "  whole text as one value            %9.2f ms per save   (baseline: no diff)", save.registerSeconds * 1000 / Double(quick ? 50 : 300)))
print(String(format: "  op line per save                   %9.0f bytes", save.opBytes))
print(String(format: "  the whole save into the replica    %9.2f ms per save   (field read, op applied, one journal fsync)", save.replicaSeconds * 1000 / Double(quick ? 50 : 300)))
print("")
let text = try TextMergeBenchmark.run(edits: 300)
print("Text merge (\(text.baseBytes) bytes of Chinese minutes, 300 edits on each of two stations)")
print(String(format: "  merge in memory (both directions)  %9.1f ms", text.inMemorySeconds * 1000))
print(String(format: "  merge into SQLite replica          %9.1f ms", text.replicaSeconds * 1000))
print("  sentences in conflict              \(String(format: "%9d", text.conflicts))   converged: \(text.converged ? "yes" : "NO")")
print("")
}
if section("sync") {
let syncOps = quick ? 10_000 : 100_000
let sync = try await SyncBenchmark.run(ops: syncOps, stations: 50, opsPerStation: quick ? 200 : 2_000, saves: quick ? 100 : 600)
print("Sync over loopback (central node in this process, libcurl sessions)")
print("  station A → central → station B     \(Measure.rate(sync.ops, sync.pushSeconds + sync.pullSeconds))   (\(sync.ops) ops; goal ≥ 50,000/s)")
print("    push A → central                   \(Measure.rate(sync.ops, sync.pushSeconds))")
print("    pull central → B                   \(Measure.rate(sync.ops, sync.pullSeconds))")
print("  the same over HTTPS (private CA)     \(Measure.rate(sync.ops, sync.tlsPushSeconds + sync.tlsPullSeconds))   (baseline: plain HTTP above)")
print("    push over HTTPS                    \(Measure.rate(sync.ops, sync.tlsPushSeconds))")
print("    pull over HTTPS                    \(Measure.rate(sync.ops, sync.tlsPullSeconds))")
print(String(format: "  bytes on the wire per op, up        %9.1f   (goal ≤ 7)", sync.bytesPerOpUp))
print(String(format: "  bytes on the wire per op, down      %9.1f", sync.bytesPerOpDown))
print(String(format: "    as gzipped journal lines          %9.1f   (baseline: the previous wire form, same ops and batches)", sync.linesBytesPerOp))
print(String(format: "  bytes per sentence edit of minutes, up   %5.1f   (goal ≤ 30)", sync.bytesPerSentenceEditUp))
print(String(format: "  bytes per sentence edit of minutes, down %5.1f", sync.bytesPerSentenceEditDown))
print(String(format: "    as gzipped journal lines              %5.1f   (baseline)", sync.linesBytesPerSentenceEdit))
print("  central ingest, \(sync.stations) stations at once   \(Measure.rate(sync.ingestOps, sync.ingestSeconds))   (\(sync.ingestOps) ops)")
if let idle = sync.daemonIdleMegabytes, let peak = sync.daemonPeakMegabytes,
   let idlePrivate = sync.daemonIdlePrivateMegabytes, let afterPrivate = sync.daemonAfterSyncPrivateMegabytes {
    print(String(format: "  station daemon resident, idle       %9.1f MB   (goal ≤ 25 MB; its own memory %.1f MB, the rest shared library pages)", idle, idlePrivate))
    print(String(format: "  station daemon peak, %dk-op sync   %9.1f MB   (its own memory after: %.1f MB)", sync.ops / 1000, peak, afterPrivate))
} else {
    print("  station daemon memory: skipped (build yishi in release too: bash scripts/build-release)")
}
print("")
}
if section("desk") {
let desk = try await DeskBenchmark.run(topics: quick ? 2_000 : 10_000, requests: quick ? 50 : 200)
print("Station desk (release daemon, \(desk.topics) topics raised through the loop in \(String(format: "%.1f", desk.seedSeconds)) s; one request at a time over loopback)")
print("  page                                p50 ms    p99 ms")
for timing in desk.timings {
    print("  \(timing.name.padding(toLength: 20, withPad: "　", startingAt: 0))  \(String(format: "%8.2f  %8.2f", timing.p50, timing.p99))")
}
print("  (goal: p99 ≤ 50 ms for the topic list and a topic page)")
func memory(_ label: String, _ value: DeskBenchmark.Memory?) {
    guard let value else { print("  \(label)  (not measured)"); return }
    print(String(format: "  %@  RSS %6.1f MB   PSS %6.1f MB", label, value.rss, value.pss))
}
memory("daemon idle, empty replica (baseline)", desk.emptyIdle)
memory("daemon idle, \(desk.topics) topics             ", desk.idle)
memory("daemon while serving (peak sampled)   ", desk.serving)
print("  (goal: PSS idle ≤ 30 MB)")
print("")
}
if section("office") {
let office = try await OfficeBenchmark.run(communities: quick ? 20 : 300, topics: quick ? 300 : 2_000, requests: quick ? 30 : 200)
print("Office desk (release central, \(office.communities) communities × \(office.topics) topics; one request at a time over loopback)")
if office.district.reused {
    print("  (district kept from an earlier run in $YISHI_BENCH_DISTRICT)")
} else {
    print(String(format: "  one community through the loop at a station   %8.1f s", office.district.seedSeconds))
    print(String(format: "  %d ops received at the central         %8.1f s", office.district.ops, office.district.ingestSeconds))
    print(String(format: "  all of it indexed for search                  %8.1f s", office.district.indexSeconds))
}
print(String(format: "  first overview after the start                %8.1f ms  (shows what is ready, the rest as being computed)", office.firstOverview))
print(String(format: "  every community's figures ready after         %8.1f s", office.warmSeconds))
print("  page                                p50 ms    p99 ms  requests")
for timing in office.timings {
    print("  \(timing.name.padding(toLength: 20, withPad: "　", startingAt: 0))  \(String(format: "%8.2f  %8.2f  %8d", timing.p50, timing.p99, timing.samples))")
}
print("  (goal: p99 ≤ 200 ms for the overview, ≤ 100 ms for the others)")
if let idle = office.idle { print(String(format: "  central after the first overview    RSS %6.1f MB   PSS %6.1f MB", idle.rss, idle.pss)) }
let onPostgres = office.postgres
print("The same district on PostgreSQL: one central process on an empty folder")
print(String(format: "  yishi central migrate (%d ops)            %8.1f s", onPostgres.ops, onPostgres.migrateSeconds))
print(String(format: "  start to a view holding every op              %8.1f s   (goal: under 5 minutes)", onPostgres.catchUpSeconds))
print(String(format: "  every community's figures ready after         %8.1f s", onPostgres.side.warmSeconds))
print("  page                                p50 ms    p99 ms  requests   (SQLite central p99)")
for (timing, single) in zip(onPostgres.side.timings, office.timings) {
    print("  \(timing.name.padding(toLength: 20, withPad: "　", startingAt: 0))  \(String(format: "%8.2f  %8.2f  %8d   (%8.2f)", timing.p50, timing.p99, timing.samples, single.p99))")
}
if let idle = onPostgres.side.idle { print(String(format: "  process after the first overview    RSS %6.1f MB   PSS %6.1f MB", idle.rss, idle.pss)) }
print("")
}
if section("board") {
let board = try await BoardBenchmark.run(communities: quick ? 20 : 300, topics: quick ? 300 : 2_000, requests: quick ? 30 : 200,
                                         syncOps: quick ? 2_000 : 10_000)
print("Residents' board (release central, the office section's district; one request at a time over loopback)")
print("  page                                p50 ms    p99 ms  requests")
for timing in board.timings {
    print("  \(timing.name.padding(toLength: 20, withPad: "　", startingAt: 0))  \(String(format: "%8.2f  %8.2f  %8d", timing.p50, timing.p99, timing.samples))")
}
print("  (goal: p99 ≤ 50 ms for the board's pages)")
print("  station sync (push + pull), no load        \(Measure.rate(1, 1 / board.syncAlone))   ops/s")
if let loaded = board.syncLoaded, let requests = board.boardRequests {
    print("  the same while wrk loads the board       \(Measure.rate(1, 1 / loaded))   ops/s  (\(String(format: "%.0f%%", loaded / board.syncAlone * 100)) of no load; goal ≥ 80%)")
    print(String(format: "  board under wrk, 64 connections, 30 s   %9.0f requests/s", requests))
} else if board.wrkMissing {
    print("  (load part skipped: install wrk from Debian, apt-get install wrk)")
}
print("")
}
if section("start") {
let start = try StartBenchmark.run(root: root, starts: quick ? 3 : 10)
print("Station daemon start (\(root.map { "installed by the package in \($0), run as yishi" } ?? "release build"), \(start.starts.count) starts)")
print(String(format: "  binary                              %9.1f MB   %@", start.binaryMegabytes, start.binary))
print(String(format: "  start to READY=1, median            %9.1f ms   (min %.1f, max %.1f)", StartBenchmark.median(start.starts) * 1000,
             start.starts.min()! * 1000, start.starts.max()! * 1000))
print(String(format: "  yishi --version, median             %9.1f ms   (baseline: starting the process at all)", StartBenchmark.median(start.versionRuns) * 1000))
if let memory = start.memory {
    print(String(format: "  after READY                         RSS %6.1f MB   PSS %6.1f MB   anonymous %6.1f MB", memory.rss, memory.pss, memory.anonymous))
}
print("")
}
if section("postgres") {
let postgres = try await PostgresBenchmark.run(stations: 50, opsPerStation: quick ? 200 : 2_000)
print("Central ingest on PostgreSQL (\(postgres.ops) ops from 50 stations pushing at once; the same generated ops each way)")
print("  SQLite central                     \(Measure.rate(postgres.ops, postgres.sqliteSeconds))   (baseline)")
print("  PostgreSQL, one central process    \(Measure.rate(postgres.ops, postgres.oneProcessSeconds))")
print("  PostgreSQL, two central processes  \(Measure.rate(postgres.ops, postgres.twoProcessesSeconds))   (goal: ≥ the SQLite central and ≥ 40,000/s)")
print("Every process's view holding every op, after the last push was acknowledged (the SQLite central: at once)")
for (name, view, ingest) in [("one central process  ", postgres.oneViewSeconds, postgres.oneProcessSeconds),
                             ("two central processes", postgres.twoViewsSeconds, postgres.twoProcessesSeconds)] {
    print(String(format: "  PostgreSQL, %@  +%5.2f s   (push to every view: %@)", name, view, Measure.rate(postgres.ops, ingest + view)))
}
print("Pull: a second, empty station in each community pulling all of it, 50 at once")
print("  SQLite central                     \(Measure.rate(postgres.ops, postgres.sqlitePullSeconds))   (baseline)")
print("  PostgreSQL, one central process    \(Measure.rate(postgres.ops, postgres.onePullSeconds))")
print("  PostgreSQL, two central processes  \(Measure.rate(postgres.ops, postgres.twoPullSeconds))")
print("A new central process on an empty folder catching up from PostgreSQL")
print("  \(postgres.ops) ops in \(String(format: "%.1f", postgres.catchUpSeconds)) s   \(Measure.rate(postgres.ops, postgres.catchUpSeconds))   (goal: a 300-community district in under 5 minutes)")
print("")
}
if section("progress") {
let progress = try ProgressBenchmark.run(ops: quick ? 50_000 : 500_000, rounds: quick ? 1 : 3)
print("Progress display (\(progress.ops) ops, journal \(String(format: "%.0f", Double(progress.journalBytes) / 1_048_576)) MB; median of the rounds, alternated)")
func compare(_ name: String, _ pair: (without: Double, with: Double)) {
    print(String(format: "  %@  without %7.2f s   with the live line %7.2f s   (%+.1f%%)", name, pair.without, pair.with,
                 (pair.with / pair.without - 1) * 100))
}
compare("journal verify", progress.verify)
compare("rebuild       ", progress.rebuild)
print("  (\(progress.linesDrawn) lines drawn in all, to /dev/null as to a terminal; goal: no measurable difference)")
print("")
}
print(String(format: "Peak resident memory (this process)  %9.1f MB", Measure.peakResidentMegabytes))
