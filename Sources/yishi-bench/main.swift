/// yishi-bench: prints the store's speed and size figures beside a plain-SQLite baseline
/// measured in the same run. Build and run in release:
///   swift run -c release yishi-bench [--quick] [local] [remote] [text]
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
print(String(format: "Peak resident memory                 %9.1f MB", Measure.peakResidentMegabytes))
