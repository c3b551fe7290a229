/// yishi-bench: prints the store's speed and size figures beside a plain-SQLite baseline
/// measured in the same run. Build and run in release:
///   swift build -c release && .build/release/yishi-bench [--quick] [local] [remote] [text] [sync]
/// With no section named, all run.
import Foundation

let quick = CommandLine.arguments.contains("--quick")
let named = Set(CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") })
func section(_ name: String) -> Bool { named.isEmpty || named.contains(name) }
let localCount = quick ? 300 : 3_000
let remoteCount = quick ? 20_000 : 200_000

print("Yishi benchmark — \(quick ? "quick" : "full") run, \(ProcessInfo.processInfo.activeProcessorCount) cores")
print("")

if section("local") {
let local = try LocalEditBenchmark.run(count: localCount)
print("Local edits (\(localCount), one transaction + journal fsync each)")
print("  yishi replica                      \(Measure.rate(localCount, local.ours))")
print("  plain SQLite, synchronous=FULL      \(Measure.rate(localCount, local.plainFull))   (same durability: one fsync per edit)")
print("  plain SQLite, synchronous=NORMAL    \(Measure.rate(localCount, local.plainNormal))   (not durable on power loss)")
print(String(format: "  ratio yishi / plain FULL           %9.2f×  (time per edit; goal ≤ 2×)", local.ours / local.plainFull))
print("")
}

if section("remote") {
let remote = try RemoteApplyBenchmark.run(count: remoteCount, batch: 5_000)
print("Remote ops applied (\(remoteCount) from another station, batches of 5,000)")
print("  apply into replica                 \(Measure.rate(remoteCount, remote.seconds))   (goal ≥ 100,000/s)")
print(String(format: "  journal bytes per op               %9.1f", remote.journalBytesPerOp))
print(String(format: "  digest of the whole replica        %9.3f s", remote.digestSeconds))
print("")
}

if section("text") {
let text = try TextMergeBenchmark.run(edits: 300)
print("Text merge (\(text.baseBytes) bytes of Chinese minutes, 300 edits on each of two stations)")
print(String(format: "  merge in memory (both directions)  %9.1f ms", text.inMemorySeconds * 1000))
print(String(format: "  merge into SQLite replica          %9.1f ms", text.replicaSeconds * 1000))
print("  sentences in conflict              \(String(format: "%9d", text.conflicts))   converged: \(text.converged ? "yes" : "NO")")
print("")
}
if section("sync") {
let syncOps = quick ? 10_000 : 100_000
let sync = try await SyncBenchmark.run(ops: syncOps, stations: 50, opsPerStation: quick ? 200 : 2_000)
print("Sync over loopback (central node in this process, libcurl sessions)")
print("  station A → central → station B     \(Measure.rate(sync.ops, sync.pushSeconds + sync.pullSeconds))   (\(sync.ops) ops; goal ≥ 50,000/s)")
print("    push A → central                   \(Measure.rate(sync.ops, sync.pushSeconds))")
print("    pull central → B                   \(Measure.rate(sync.ops, sync.pullSeconds))")
print(String(format: "  bytes on the wire per op, up        %9.1f   (goal ≤ 64)", sync.bytesPerOpUp))
print(String(format: "  bytes on the wire per op, down      %9.1f", sync.bytesPerOpDown))
print("  central ingest, \(sync.stations) stations at once   \(Measure.rate(sync.ingestOps, sync.ingestSeconds))   (\(sync.ingestOps) ops)")
if let idle = sync.daemonIdleMegabytes, let peak = sync.daemonPeakMegabytes,
   let idlePrivate = sync.daemonIdlePrivateMegabytes, let afterPrivate = sync.daemonAfterSyncPrivateMegabytes {
    print(String(format: "  station daemon resident, idle       %9.1f MB   (goal ≤ 25 MB; its own memory %.1f MB, the rest shared library pages)", idle, idlePrivate))
    print(String(format: "  station daemon peak, %dk-op sync   %9.1f MB   (its own memory after: %.1f MB)", sync.ops / 1000, peak, afterPrivate))
} else {
    print("  station daemon memory: skipped (build yishi in release too: swift build -c release)")
}
print("")
}
print(String(format: "Peak resident memory (this process)  %9.1f MB", Measure.peakResidentMegabytes))
