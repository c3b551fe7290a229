import Foundation

/// Wall-clock timing and memory readings for the benchmark report.
enum Measure {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Wall-clock and CPU seconds (this process, all threads) of `body`. On this shared
    /// machine wall time swings by a third between runs, with the disk's fsync; CPU time
    /// shows a change in the code's own work where wall time hides it.
    static func wallAndCPU(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        func cpuNow() -> Double {
            var now = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        }
        let cpuStart = cpuNow()
        let wall = try seconds(body)
        return (wall, cpuNow() - cpuStart)
    }

    /// Wall-clock seconds of `body`, and the CPU seconds this process spent in its own code
    /// (user) and in the kernel on its behalf (system: the syscalls, fsync's work included).
    static func wallUserSystem(_ body: () throws -> Void) rethrows -> (wall: Double, user: Double, system: Double) {
        func now() -> (Double, Double) {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
            return (seconds(usage.ru_utime), seconds(usage.ru_stime))
        }
        let (userStart, systemStart) = now()
        let wall = try seconds(body)
        let (userEnd, systemEnd) = now()
        return (wall, userEnd - userStart, systemEnd - systemStart)
    }

    static func secondsAsync(_ body: () async throws -> Void) async rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Peak resident memory of this process so far, from the kernel's own accounting.
    static var peakResidentMegabytes: Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }

    static func rate(_ count: Int, _ seconds: Double) -> String {
        String(format: "%9.0f/s", Double(count) / seconds)
    }

    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-bench-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
