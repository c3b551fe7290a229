import Foundation
import GRDB
import YishiCentral
import YishiDeliberation
import YishiDesk
import YishiMerge
import YishiModel
import YishiOfficeDesk
import YishiStore
import YishiSync

/// The office desk with a whole district: a central holding `communities` × `topics`
/// topics, served by the release `yishi central serve`, timed from outside over loopback
/// (p50 and p99 of the overview, a community page, its topic list and a search across
/// communities) beside `/healthz` as the baseline.
///
/// The district is made the way a real one fills: one community's topics are raised,
/// classified, escalated and answered through the loop at a station; that station's
/// ops, renamed for each community in turn (its id, its scope, its references), reach
/// the central through the real store's receive, as a push would bring them.
enum OfficeBenchmark {
    struct Result {
        var communities: Int
        var topics: Int
        var ops: Int
        var seedSeconds: Double
        var ingestSeconds: Double
        var firstOverview: Double
        var warmSeconds: Double
        var timings: [DeskBenchmark.Timing]
        var idle: DeskBenchmark.Memory?
    }

    static let now = LocalDateTime("2026-11-20 09:00")!

    static func run(communities: Int, topics: Int, requests: Int) async throws -> Result {
        let folder = Measure.temporaryDirectory("office")
        defer { try? FileManager.default.removeItem(at: folder) }

        var bundle: [UInt8] = []
        let seedSeconds = try Measure.seconds { bundle = try template(folder, topics: topics) }
        let text = String(decoding: bundle, as: UTF8.self)

        let directory = DataDirectory(folder.appendingPathComponent("central"))
        let node = try CentralNode.create(at: directory)
        let key = try StationKey.create(in: folder.appendingPathComponent("TPL-01")).publicKeyText
        var ops = 0
        let ingestSeconds = try Measure.seconds {
            for index in 0..<communities {
                let community = name(index)
                let renamed = text.replacingOccurrences(of: "TPL", with: community)
                let ops0 = try OpBundle.decode(Array(renamed.utf8), file: community).ops
                ops += try node.replica.receive(ops0).applied
                try node.registry.enroll(id: "\(community)-01", community: community, publicKey: key)
            }
        }
        // Every station has pulled what there is, and most synced this morning; every
        // tenth has been silent for four days.
        let last = try await DatabaseQueue(path: directory.database.path).read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM arrival") } ?? 0
        for index in 0..<communities {
            let contact = now.milliseconds - (index % 10 == 0 ? 4 * 86_400_000 : 3_600_000)
            try node.registry.record(contact: contact, stationTime: contact + 1_200, for: "\(name(index))-01")
            try node.registry.record(cursor: UInt64(last), for: "\(name(index))-01")
        }
        let staff = try StaffDirectory(file: directory.url.appendingPathComponent(StaffDirectory.fileName), roles: OfficeRole.names)
        try staff.add(name: "街道李", role: OfficeRole.staff.rawValue, password: "mima12345")

        let central = try await DeskBenchmark.Daemon(
            arguments: ["central", "serve", "--data", directory.url.path, "--port", "0"], log: folder.appendingPathComponent("central.log"),
            now: now, started: #"中心已启动：http://127\.0\.0\.1:\d+"#, user: "街道李")
        defer { central.stop() }
        let cookie = try central.login()
        // Right after the start the background refresh is working through the district: the
        // overview shows what is ready and says the rest is being computed, until it is all.
        let firstOverview = try central.time("/office", cookie: cookie)
        let warmSeconds = try await Measure.secondsAsync {
            while try central.get("/office", cookie: cookie).body.contains("正在计算") { try await Task.sleep(for: .milliseconds(500)) }
        }
        let idle = central.memory()
        let middle = name(communities / 2)
        let search = "/office/search?q=" + "电梯维修".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let pages = [("/healthz（基线）", "/healthz"), ("总览（\(communities) 个社区）", "/office"),
                     ("社区页面（今年）", "/office/communities/\(middle)"),
                     ("社区页面（上一年）", "/office/communities/\(middle)?from=2025-01-01&to=2025-12-31"),
                     ("社区议题列表", "/office/communities/\(middle)/topics"),
                     ("社区议题（搜索）", "/office/communities/\(middle)/topics?q=" + "垃圾分类".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!),
                     ("议题页面", "/office/communities/\(middle)/topics/\(middle)-01-2026-0100"),
                     ("检索（全部社区）", search)]
        var timings: [DeskBenchmark.Timing] = []
        for (name, path) in pages {
            var samples: [Double] = []
            for _ in 0..<requests { samples.append(try central.time(path, cookie: cookie)) }
            samples.sort()
            timings.append(.init(name: name, p50: samples[samples.count / 2] * 1000,
                                 p99: samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))] * 1000))
        }
        return Result(communities: communities, topics: topics, ops: ops, seedSeconds: seedSeconds, ingestSeconds: ingestSeconds,
                      firstOverview: firstOverview * 1000, warmSeconds: warmSeconds, timings: timings, idle: idle)
    }

    static func name(_ index: Int) -> String { String(format: "C%03d", index + 1) }

    /// One community's topics through the loop at its station "TPL-01", over the year
    /// before `now`: two in three classified, one in twenty escalated to the street or
    /// the district (half of those answered), each on the day it happened. Returns the
    /// station's export.
    static func template(_ folder: URL, topics: Int) throws -> [UInt8] {
        let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent("TPL-01")), replica: "TPL-01", community: "TPL")
        let titles = ["北门垃圾分类设施选址", "楼道灯不亮", "停车位不够", "广场舞噪音", "电梯维修", "高龄津贴迟迟未发"]
        for index in 0..<topics {
            // Newest first in the numbering does not matter; spread over 400 days, so some
            // fall in last year.
            let day = LocalDate(dayNumber: now.date.dayNumber - (index * 7919) % 400)
            let then = LocalDateTime("\(day) 10:00")!
            let loop = Deliberation(replica: replica, rules: CommunityRules(), now: { then })
            let reference = try loop.raise(TopicDraft(
                title: "第\(index)号：\(titles[index % titles.count])", description: "居民反映的情况，第\(index)条。需要协商解决。",
                channel: Vocabulary.channels[index % Vocabulary.channels.count], proposer: Proposer(name: "居民\(index % 300)"),
                category: Vocabulary.categories[index % Vocabulary.categories.count], raisedOn: day), by: "王芳")
            if index % 3 != 0 {
                try loop.classify(reference, handling: Vocabulary.handlingClasses[index % 2], category: nil, by: "王芳")
            }
            if index % 20 == 0 {
                let escalation = try loop.escalate(
                    reference, level: index % 40 == 0 ? "区" : "街道", department: ["民政科", "城管科", "房管所"][index % 3],
                    reason: "社区无权处理", deadline: LocalDate(dayNumber: day.dayNumber + 15), by: "王芳")
                if index % 60 == 0 {
                    try loop.respond(escalation, reportedOn: LocalDate(dayNumber: day.dayNumber + 5), response: "已派人处理", by: "街道")
                }
            }
        }
        let file = folder.appendingPathComponent("TPL.bundle")
        try replica.export(to: file)
        return Array(try Data(contentsOf: file))
    }
}
