import Foundation
import Testing
import YishiTestSupport

/// Staff commands and a long-running writer share one data directory: several real
/// processes write at once, and every op ends up applied once, journaled once.
@Suite struct ConcurrentProcessTests {
    @Test func processesWritingTheSameDataDirectoryAtOnce() throws {
        let folder = TemporaryDirectory()
        let stations = try folder.trustedStations(["HL3-01", "HL3-02"])
        let (data, other) = (stations[0], stations[1])
        // Bundles from another station, to import while the loops run (what the daemon does).
        var bundles: [URL] = []
        for index in 0..<10 {
            try YishiBinary.ok(["debug", "put", "topic/other", "title", "外站第\(index)次"], data: other)
            let bundle = folder.path("b\(index).bundle")
            try YishiBinary.ok(["export", "--to", bundle.path], data: other)
            bundles.append(bundle)
        }

        try YishiBinary.ok(["debug", "put", "topic/tagged", "title", "收到的文件"], data: data)
        let perLoop = 150
        let loops = try (0..<2).map { index in
            let process = YishiBinary.configured(
                ["debug", "edit-loop", "--count", "\(perLoop)", "--record", "topic/loop\(index)"], data: data, author: "测试员")
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        for bundle in bundles {
            try YishiBinary.ok(["import", bundle.path], data: data)
            try YishiBinary.ok(["record", "add", "topic/tagged", "tags", bundle.lastPathComponent], data: data)
        }
        for process in loops {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }

        let clock = try YishiBinary.ok(["clock"], data: data)
        // Two ops per loop iteration, the tagged record, one tag per bundle.
        #expect(clock.contains("HL3-01=\(2 * 2 * perLoop + 1 + bundles.count)"))
        #expect(clock.contains("HL3-02=10"))
        #expect(try YishiBinary.ok(["journal", "verify"], data: data).contains("日志与副本一致"))
        let digest = try YishiBinary.ok(["digest"], data: data)
        try YishiBinary.ok(["rebuild"], data: data)
        #expect(try YishiBinary.ok(["digest"], data: data) == digest)
    }
}
