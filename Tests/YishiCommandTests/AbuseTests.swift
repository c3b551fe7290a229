import Foundation
import Testing
import YishiMerge
import YishiStore
import YishiSync
import YishiTestSupport
import YishiTrust

/// What one enrolled station, or one stranger, can break at the central, through the real
/// binary on 127.0.0.1: nothing of another community, nothing of another station's sync,
/// nothing of the server's memory or connections.
@Suite struct AbuseTests {
    /// A station of HL3 writes under record names of DSF's station (one that exists, one not
    /// yet synced), and a field of its own community as another kind: each push is refused
    /// with the reason; DSF-01 syncs on, its records and digest untouched.
    @Test func aStationCannotWriteAnotherCommunitysRecordsOrPoisonTheirSync() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let dsf = try StationUnderTest(folder, "DSF-01", community: "DSF", now: "2026-12-08 09:00")
        let hl3 = try StationUnderTest(folder, "HL3-02", community: "HL3", now: "2026-12-08 09:00")
        let neighbour = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-12-08 09:00")
        for (station, id, community) in [(dsf, "DSF-01", "DSF"), (hl3, "HL3-02", "HL3"), (neighbour, "HL3-01", "HL3")] {
            try central.enroll(station.data, id: id, community: community)
        }
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let topic = try dsf.value("topic", "topic", "raise", "--title", "北门垃圾", "--channel", "说事厅")
        #expect(try sync(dsf.data, server.url).status == 0)

        try YishiBinary.ok(["debug", "put", "topic/\(topic)", "title", "【HL3-02 篡改】"], data: hl3.data)
        let refused = try sync(hl3.data, server.url)
        #expect(refused.status != 0 && refused.stderr.contains("属于社区 DSF") && refused.stderr.contains("HL3-02"), "\(refused.stderr)")

        // A name DSF-01 has not used yet, taken first: refused too, so its own push later goes through.
        let squatter = try StationUnderTest(folder, "HL3-03", community: "HL3", now: "2026-12-08 09:00")
        try central.enroll(squatter.data, id: "HL3-03", community: "HL3")
        try YishiBinary.ok(["debug", "put", "topic/DSF-01-2026-0002", "title", "抢先占用"], data: squatter.data)
        #expect(try sync(squatter.data, server.url).status != 0)
        let second = try dsf.value("topic", "topic", "raise", "--title", "南门照明", "--channel", "说事厅")
        #expect(second == "DSF-01-2026-0002")
        #expect(try sync(dsf.data, server.url).status == 0)
        #expect(try dsf.ok("status").contains("待上传的修改：0 条"))
        #expect(try YishiBinary.ok(["digest", "--scope", "DSF"], data: dsf.data) == central.digest("DSF"))
        #expect(try !central.digest("HL3").isEmpty)

        // A field of the model written as another kind, in its own community: refused at the
        // push with the reason, and the station it would have poisoned syncs on.
        let own = try neighbour.value("topic", "topic", "raise", "--title", "东门照明", "--channel", "说事厅")
        #expect(try sync(neighbour.data, server.url).status == 0)
        let poisoner = try StationUnderTest(folder, "HL3-04", community: "HL3", now: "2026-12-08 09:00")
        try central.enroll(poisoner.data, id: "HL3-04", community: "HL3")
        // Its own replica refuses to make such an op; a doctored build signs one anyway.
        #expect(try YishiBinary.run(["record", "add", "topic/\(own)", "title", "电梯"], data: poisoner.data).status != 0)
        let poison = Op(dot: Dot(replica: ReplicaID(rawValue: "HL3-04")!, counter: 1), lamport: 9, deps: VersionVector(), scope: "HL3",
                        record: "topic/\(own)", field: "title", change: .set(add: ["电梯"], remove: []), author: "乙",
                        wallTime: WallTime(milliseconds: 1_765_000_000_000))
        let poisoned = try Self.signedPush([poison], from: poisoner.data, station: "HL3-04", to: server.url)
        #expect(poisoned.status == 403 && String(decoding: poisoned.body, as: UTF8.self).contains("写成了别的类型"),
                "\(String(decoding: poisoned.body, as: UTF8.self))")
        try neighbour.ok("topic", "classify", own, "--as", "待办")
        #expect(try sync(neighbour.data, server.url).status == 0)
        #expect(try neighbour.ok("status").contains("待上传的修改：0 条"))
    }

    /// A title of 7.8 MB pushed by a doctored station (it signs what it sends): the central
    /// holds every op to the forms' limits and refuses it.
    @Test func anOpLargerThanAnyFormIsRefusedAtTheCentral() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-12-08 09:00")
        try central.enroll(station.data, id: "HL3-01", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let op = Op(dot: Dot(replica: ReplicaID(rawValue: "HL3-01")!, counter: 1), lamport: 1, deps: VersionVector(), scope: "HL3",
                    record: "topic/HL3-01-2026-0001", field: "title", change: .register(String(repeating: "长", count: 2_600_000)),
                    author: "王芳", wallTime: WallTime(milliseconds: 1_765_000_000_000))
        let answer = try Self.signedPush([op], from: station.data, station: "HL3-01", to: server.url)
        let text = String(decoding: answer.body, as: UTF8.self)
        #expect(answer.status == 403 && text.contains("太大"), "\(answer.status) \(text)")
        #expect(try central.digest("HL3") == YishiBinary.ok(["central", "digest", "--scope", "NONE"], data: central.data), "nothing of it kept")
    }

    /// 1,100 idle connections from one address, the central limited to 1,024 open files as a
    /// unit's default would: it closes the address's oldest idle ones as new ones come, and
    /// `/healthz` answers within two seconds.
    @Test func idleConnectionsCannotTakeTheCentralDown() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = max(limit.rlim_cur, min(limit.rlim_max, 4_096))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let server = try CentralProcess(data: central.data, wrapper: ["/usr/bin/prlimit", "--nofile=1024:1024"])
        defer { server.stop() }
        let port = UInt16(server.url.split(separator: ":").last!)!
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        for _ in 0..<1_100 { if let socket = Self.connect(port) { sockets.append(socket) } }
        #expect(sockets.count >= 1_000, "opened \(sockets.count)")
        let start = Date()
        let health = PostgresForCommands.get(server.url + "/healthz")
        let seconds = Date().timeIntervalSince(start)
        #expect(health.status == 200 && health.body.hasPrefix("ok") && seconds < 2, "\(seconds) s: \(health)")
    }

    /// Forty uploads of 8 MB naming an enrolled station, signatures of the right shape but no
    /// key's: read only a little and a few at a time, they cost the central little memory.
    @Test func unauthenticatedUploadsCostLittleMemory() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let station = try StationUnderTest(folder, "HL3-01", community: "HL3", now: "2026-12-08 09:00")
        try central.enroll(station.data, id: "HL3-01", community: "HL3")
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let before = Self.residentMegabytes(server.process.processIdentifier)
        var noise = [UInt8](repeating: 0, count: 8_000_000)
        var generator = SplitMix(seed: 9)
        for index in noise.indices where index % 8 == 0 { noise[index] = UInt8(truncatingIfNeeded: generator.next()) }
        let body = noise, url = server.url
        let forged = Data(repeating: 7, count: 64).base64EncodedString()
        let done = DispatchGroup()
        let statuses = Locked<[Int]>([])
        for sequence in 1...40 {
            done.enter()
            Thread.detachNewThread {
                let headers = [("Yishi-Station", "HL3-01"), ("Yishi-Sequence", "\(sequence)"), ("Yishi-Time", "1765000000000"),
                               ("Yishi-Signature", forged)]
                let status = (try? CurlClient().post(url + WireFormat.pushPath, headers: headers, body: body).status) ?? 0
                statuses.set(statuses.get() + [status])
                done.leave()
            }
        }
        done.wait()
        let after = Self.residentMegabytes(server.process.processIdentifier)
        #expect(statuses.get().allSatisfy { $0 == 401 || $0 == 413 || $0 == 503 || $0 == 0 }, "\(statuses.get())")
        #expect(after - before < 50, "grew from \(before) MB to \(after) MB")
        #expect(try sync(station.data, server.url).status == 0, "the station still syncs")
    }

    /// Pushes `ops` of a station's own origin (its first ones) as a doctored build would: a
    /// signed request, a proof its key signed over what it sends.
    static func signedPush(_ ops: [Op], from data: URL, station: String, to url: String) throws -> CurlResponse {
        let key = try StationKey.load(from: data)
        let lines = ops.map(OpCodec.encodedBytes)
        let origin = ops[0].dot.replica
        let head = lines.reduce(OriginChain.seed(origin)) { OriginChain.next($0, opHash: OriginChain.opHash($1)) }
        let proof = RunProof(origin: origin, from: 1, before: nil,
                             checkpoints: [Checkpoint(origin: origin, counter: UInt64(ops.count), head: head, signedBy: key.signing)])
        let body = Gzip.compress(OpBundle.encode(from: origin, community: ops[0].scope, lines: lines.map { String(decoding: $0, as: UTF8.self) },
                                                 attaching: OpBundle.Attachments(proofs: [proof])))
        let sequence = UInt64(Date().timeIntervalSince1970 * 1000)
        let headers = RequestSignature.headers(key: key, station: station, sequence: sequence, time: 1_765_000_000_000,
                                               path: WireFormat.pushPath, body: body)
        return try CurlClient().post(url + WireFormat.pushPath, headers: headers, body: body)
    }

    static func connect(_ port: UInt16) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// VmRSS of a process, in MB.
    static func residentMegabytes(_ pid: Int32) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}
