import Foundation
import Testing
import YishiMerge
import YishiStore
import YishiSync
import YishiTestSupport

/// Records nobody can forge, through the real command line, the real central and libcurl on
/// 127.0.0.1: a stick doctored on the way is refused at import with nothing changed and no
/// harm to the station's sync; keys rotated or revoked at the office vouch for what they
/// signed before and nothing after; a station on the previous release is attested.
@Suite struct SignatureTests {
    /// Two stations of 帝纱富仕城 and their central, both synced once (so both trust the street).
    struct Setting {
        let folder = TemporaryDirectory()
        let central: CentralUnderTest
        var server: CentralProcess
        let first: StationUnderTest
        let second: StationUnderTest

        init() throws {
            central = try CentralUnderTest(folder.path("central"))
            first = try StationUnderTest(folder, "DSF-01", community: "DSF", now: "2026-12-08 09:00")
            second = try StationUnderTest(folder, "DSF-02", community: "DSF", now: "2026-12-08 09:00")
            try central.enroll(first.data, id: "DSF-01", community: "DSF")
            try central.enroll(second.data, id: "DSF-02", community: "DSF")
            server = try CentralProcess(data: central.data)
            for station in [first, second] { #expect(try sync(station.data, server.url).status == 0) }
        }

        func synced(_ station: StationUnderTest) throws {
            let result = try sync(station.data, server.url)
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    /// Replaces the first occurrence of `old` in a file.
    static func doctor(_ file: URL, to copy: URL, _ change: (String) -> String) throws {
        try Data(change(try String(contentsOf: file, encoding: .utf8)).utf8).write(to: copy)
    }

    @Test func forgedAndAlteredBundlesAreRefusedAndTheStationSyncsOn() throws {
        let setting = try Setting()
        defer { setting.server.stop() }
        let (first, second) = (setting.first, setting.second)
        let topic = try first.value("topic", "topic", "raise", "--title", "北门垃圾", "--channel", "说事厅", "--date", "2026-12-08")
        let honest = setting.folder.path("DSF-01.yishi")
        try first.ok("export", "--to", honest.path)
        let before = try second.snapshot()

        // The title changed under DSF-01's dot.
        let altered = setting.folder.path("altered.yishi")
        try Self.doctor(honest, to: altered) { $0.replacingOccurrences(of: "\"北门垃圾\"", with: "\"北门垃圾（街道已批准拨款50万元）\"") }
        // An op added under the street's origin.
        let forged = setting.folder.path("forged.yishi")
        try Self.doctor(honest, to: forged) { text in
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let street = #"{"dot":"central.DSF:1","lamport":90,"deps":{},"scope":"DSF","record":"topic/\#(topic)","field":"description","author":"李科长","wall":"2026-12-08T02:00:00.000Z","schema":1,"kind":"text","edits":[{"insert":"^","text":"街道办：同意，立即拨款。"}]}"#
            lines.insert(street, at: 1)
            lines[0] = lines[0].replacingOccurrences(of: #""ops":(\d+)"#, with: "\"ops\":X", options: .regularExpression)
            let count = lines.dropFirst().filter { $0.hasPrefix("{\"dot\"") }.count
            lines[0] = lines[0].replacingOccurrences(of: "\"ops\":X", with: "\"ops\":\(count)")
            return lines.joined(separator: "\n")
        }
        // One digit of the date flipped, as a stick pulled out too early can give.
        let flipped = setting.folder.path("flipped.yishi")
        try Self.doctor(honest, to: flipped) { $0.replacingOccurrences(of: "\"2026-12-08\"", with: "\"2026-12-09\"") }
        for (file, mentions) in [(altered, ["没有导入", "封签不对"]), (forged, ["没有导入"]), (flipped, ["没有导入"])] {
            #expect(try String(contentsOf: file, encoding: .utf8) != String(contentsOf: honest, encoding: .utf8))
            try second.refused("import", file.path, mentions: mentions + ["整个文件都没有导入", "之后照常同步不受影响"])
        }
        #expect(try second.snapshot() == before)

        // Even resealed by a station of the community, the doctored ops are caught by their own proofs.
        let resealed = setting.folder.path("resealed.yishi")
        try Self.reseal(altered, as: second.data, to: resealed)
        try second.refused("import", resealed.path, mentions: ["修改 DSF-01:", "与 DSF-01 签名时的不同"])

        // It still syncs, and holds the real title.
        try setting.synced(first)
        try setting.synced(second)
        let shown = try second.ok("topic", "show", topic)
        #expect(shown.contains("北门垃圾") && !shown.contains("拨款"))
        #expect(try YishiBinary.ok(["digest", "--scope", "DSF"], data: second.data) == setting.central.digest("DSF"))

        // With the central out of reach, an honest stick imports.
        setting.server.stop()
        try first.ok("topic", "raise", "--title", "南门照明", "--channel", "说事厅")
        let later = setting.folder.path("later.yishi")
        try first.ok("export", "--to", later.path)
        #expect(try second.ok("import", later.path).contains("已导入"))
        #expect(try second.ok("topic", "list").contains("南门照明"))
        let verified = try second.ok("journal", "verify")
        #expect(verified.contains("日志与副本一致") && !verified.contains("还没有签名可以核实"), "\(verified)")
    }

    /// A file's ops doctored and the file sealed again by another station's key (which the
    /// directory lists): the seal holds, the ops' own proofs do not.
    static func reseal(_ file: URL, as station: URL, to copy: URL) throws {
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.removeLast()  // the seal
        let key = try StationKey.load(from: station)
        let replica = try Replica.open(DataDirectory(station))
        let body = Array((lines.joined(separator: "\n") + "\n").utf8)
        try Data(BundleSeal.sealed(body, origin: replica.replica, signers: [key.signing])).write(to: copy)
    }

    @Test func aRotatedKeyVouchesForWhatItSignedBeforeAndARevokedOneForNothingNew() throws {
        let setting = try Setting()
        defer { setting.server.stop() }
        let (first, second) = (setting.first, setting.second)
        let third = try StationUnderTest(setting.folder, "DSF-03", community: "DSF", now: "2026-12-08 09:00")
        try setting.central.enroll(third.data, id: "DSF-03", community: "DSF")
        try first.ok("topic", "raise", "--title", "北门门禁", "--channel", "说事厅")
        try setting.synced(first)
        let beforeRotation = setting.folder.path("before-rotation.yishi")
        try first.ok("export", "--to", beforeRotation.path)

        // The office enrolls DSF-01's new key; its next sync promotes it.
        let next = try first.value("publicKey", "key", "rotate")
        try YishiBinary.ok(["central", "enroll", "--station", "DSF-01", "--community", "DSF", "--key", next], data: setting.central.data)
        try first.ok("topic", "raise", "--title", "南门照明", "--channel", "说事厅")
        try setting.synced(first)
        try setting.synced(third)
        // What the old key signed before it was retired still stands, carried by hand.
        let fresh = try StationUnderTest(setting.folder, "DSF-04", community: "DSF", now: "2026-12-08 09:00")
        try setting.central.enroll(fresh.data, id: "DSF-04", community: "DSF")
        try setting.synced(fresh)
        try fresh.ok("import", beforeRotation.path)

        // DSF-02 is revoked (its box was stolen): its key signs nothing new that anyone takes.
        try second.ok("topic", "raise", "--title", "被盗设备上写的议题", "--channel", "说事厅")
        try YishiBinary.ok(["central", "revoke", "--station", "DSF-02"], data: setting.central.data)
        try setting.synced(third)
        let stolen = setting.folder.path("stolen.yishi")
        try second.ok("export", "--to", stolen.path)
        try third.refused("import", stolen.path, mentions: ["DSF-02", "已停用的旧密钥"])
        #expect(try !third.ok("topic", "list").contains("被盗设备"))
    }

    /// The office rotates the street's key: stations that pinned the old one take the new one
    /// with their next directory (the old key endorses it), and what the street writes under
    /// the new key is taken at the next sync and from a stick; what the old key signed stands.
    @Test func aStreetKeyRotatedAtTheOfficeIsTakenWithTheNextSync() throws {
        var setting = try Setting()
        defer { setting.server.stop() }
        let (first, second) = (setting.first, setting.second)
        let pinned = try setting.central.streetKey
        #expect(try first.ok("trust").contains("街道公钥：\(pinned)"))
        let topic = try first.value("topic", "topic", "raise", "--title", "高龄老人津贴发放延迟", "--channel", "入户走访")
        let escalate = { (level: String, department: String) in
            try first.value("escalation", "escalation", "add", "--topic", topic, "--level", level, "--department", department,
                            "--reason", "津贴由区里核发，社区无权处理", "--deadline", "2026-12-20")
        }
        let (toStreet, toDistrict) = (try escalate("街道", "民政科"), try escalate("区", "民政局"))
        try setting.synced(first)
        func respond(_ escalation: String, _ response: String) throws {
            let result = try YishiBinary.run(["escalation", "respond", escalation, "--reported-on", "2026-12-08", "--response", response],
                                             data: setting.central.data, author: "街道李", now: "2026-12-08 10:00")
            #expect(result.status == 0, "\(result.stderr)")
        }
        try respond(toStreet, "已转区民政局")
        try setting.synced(first)

        setting.server.stop()
        let rotated = try YishiBinary.ok(["central", "street-key", "rotate"], data: setting.central.data)
        // Stations (new ones too) keep pinning the first key; the new one is named beside it.
        #expect(try setting.central.streetKey == pinned && rotated.contains("新公钥：") && rotated.contains(pinned), "\(rotated)")
        #expect(try YishiBinary.ok(["central", "street-key"], data: setting.central.data).contains("已换过 1 次密钥"))
        setting.server = try CentralProcess(data: setting.central.data)
        try respond(toDistrict, "津贴已补发")
        try setting.synced(first)
        let trusted = try first.ok("trust")
        #expect(trusted.contains("街道公钥：\(pinned)") && trusted.contains("街道密钥 2 把"), "\(trusted)")
        let shown = try first.ok("notice", "result", topic)
        #expect(shown.contains("已转区民政局") && shown.contains("津贴已补发"), "\(shown)")

        // DSF-02 has not synced since the rotation: the stick carries the directory with the new key.
        let stick = setting.folder.path("after-rotation.yishi")
        try first.ok("export", "--to", stick.path)
        try second.ok("import", stick.path)
        #expect(try second.ok("notice", "result", topic).contains("津贴已补发"))
        let verified = try second.ok("journal", "verify")
        #expect(verified.contains("日志与副本一致") && !verified.contains("还没有签名可以核实"), "\(verified)")
        try setting.synced(second)
        #expect(try second.ok("trust").contains("街道密钥 2 把"))
    }

    /// A station on the previous release pushes without checkpoints: the central takes the
    /// batch, attests it with the street's key, and every other station verifies it; once the
    /// box signs for itself, an unsigned push claiming it is refused.
    @Test func aPushWithoutCheckpointsIsAttestedUntilTheBoxSignsForItself() throws {
        let setting = try Setting()
        defer { setting.server.stop() }
        let (first, second) = (setting.first, setting.second)
        let previous = try StationUnderTest(setting.folder, "DSF-05", community: "DSF", now: "2026-12-08 09:00")
        try setting.central.enroll(previous.data, id: "DSF-05", community: "DSF")
        try previous.ok("topic", "raise", "--title", "旧版本站点的议题", "--channel", "说事厅")
        let replica = try Replica.open(DataDirectory(previous.data))
        let key = try StationKey.load(from: previous.data)
        // As the previous release sends it: the journal's lines, no proofs, a signed request.
        func pushUnsigned() throws -> CurlResponse {
            let sequence = try replica.nextNumber("request_sequence")
            let body = Gzip.compress(OpBundle.encode(from: replica.replica, community: "DSF", lines: try replica.outbox()))
            let headers = RequestSignature.headers(key: key, station: "DSF-05", sequence: sequence, time: 1_765_000_000_000,
                                                   path: WireFormat.pushPath, body: body)
            return try CurlClient().post(setting.server.url + WireFormat.pushPath, headers: headers, body: body)
        }
        let taken = try pushUnsigned()
        #expect(taken.status == 200, "\(String(decoding: taken.body, as: UTF8.self))")
        try setting.synced(second)
        #expect(try second.ok("topic", "list").contains("旧版本站点的议题"))
        #expect(try !second.ok("journal", "verify").contains("DSF-05"), "attested by the street: nothing left unverified")
        let trusted = try second.ok("trust")
        #expect(trusted.contains("DSF-05") && trusted.contains("尚未签名（旧版本）"), "\(trusted)")

        // Upgraded, it signs; an unsigned push under its name is refused from then on.
        try previous.ok("topic", "raise", "--title", "升级后的议题", "--channel", "说事厅")
        try setting.synced(previous)
        try previous.ok("topic", "raise", "--title", "冒用旧格式的议题", "--channel", "说事厅")
        let refused = try pushUnsigned()
        #expect(refused.status == 403 && String(decoding: refused.body, as: UTF8.self).contains("没有签名"))
        _ = first
    }
}
