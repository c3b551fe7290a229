import Foundation
import Testing
import YishiTestSupport

/// A writer killed with SIGKILL at random moments, many times over: after each kill the
/// journal and the replica agree, and every edit that was acknowledged is still there.
@Suite struct CrashTests {
    @Test func sigkillWhileWritingLosesNothingAcknowledged() throws {
        let folder = TemporaryDirectory()
        let data = try folder.station("HL3-01")
        var generator = SystemRandomNumberGenerator()
        var acknowledged = 0
        let rounds = Int(ProcessInfo.processInfo.environment["YISHI_CRASH_ROUNDS"] ?? "") ?? 30
        for round in 0..<rounds {
            let log = folder.path("acked-\(round).txt")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let output = try FileHandle(forWritingTo: log)
            let process = YishiBinary.configured(["debug", "edit-loop", "--count", "100000"], data: data, author: "测试员")
            process.standardOutput = output
            try process.run()
            usleep(UInt32.random(in: 20_000...300_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try output.close()
            #expect(process.terminationReason == .uncaughtSignal)

            let acked = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
                .compactMap { $0.split(separator: ":").last.flatMap { Int($0) } }
            acknowledged = max(acknowledged, acked.max() ?? 0)

            let verify = try YishiBinary.run(["journal", "verify", "--json"], data: data)
            #expect(verify.status == 0, "round \(round): \(verify.stdout) \(verify.stderr)")
            #expect(verify.stdout.contains("\"ok\" : true"))
            let clock = try YishiBinary.ok(["clock"], data: data).trimmingCharacters(in: .whitespacesAndNewlines)
            let applied = Int(clock.split(separator: "=").last ?? "0") ?? 0
            #expect(applied >= acknowledged, "round \(round): acknowledged \(acknowledged) but only \(applied) applied")
        }
        #expect(acknowledged > 0)
        let digest = try YishiBinary.ok(["digest"], data: data)
        try YishiBinary.ok(["rebuild"], data: data)
        #expect(try YishiBinary.ok(["digest"], data: data) == digest)
    }
}
