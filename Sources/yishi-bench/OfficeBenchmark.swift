import Foundation
import GRDB
import Logging
import YishiCentral
import YishiDeliberation
import YishiDesk
import YishiMerge
import YishiModel
import YishiOfficeDesk
import YishiPostgres
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
        var district: District
        var firstOverview: Double
        var warmSeconds: Double
        var timings: [DeskBenchmark.Timing]
        var idle: DeskBenchmark.Memory?
        var postgres: OnPostgres
    }

    static let now = LocalDateTime("2026-11-20 09:00")!

    /// The district's central data directory, made now or kept from an earlier run:
    /// YISHI_BENCH_DISTRICT keeps it in that folder and uses it again next time (generating
    /// 300 × 2,000 topics takes minutes). `cleanup` removes a folder made for this run only.
    static func district(communities: Int, topics: Int) throws -> (DataDirectory, District, cleanup: () -> Void) {
        let kept = ProcessInfo.processInfo.environment["YISHI_BENCH_DISTRICT"].map { URL(fileURLWithPath: $0) }
        let folder = kept ?? Measure.temporaryDirectory("office")
        let directory = DataDirectory(folder.appendingPathComponent("central-v2-\(communities)x\(topics)"))
        var district = District()
        if FileManager.default.fileExists(atPath: directory.database.path) {
            district.reused = true
        } else {
            district = try generate(folder, directory, communities: communities, topics: topics)
        }
        return (directory, district, { if kept == nil { try? FileManager.default.removeItem(at: folder) } })
    }

    /// What one central serving the desk measured.
    struct Side {
        var firstOverview: Double
        var warmSeconds: Double
        var timings: [DeskBenchmark.Timing]
        var idle: DeskBenchmark.Memory?
    }

    /// The same district on PostgreSQL: moved there by `yishi central migrate`, served by a
    /// process started on an empty folder, which first catches up from the database.
    struct OnPostgres {
        var migrateSeconds: Double
        var catchUpSeconds: Double
        var ops: Int
        var side: Side
    }

    static func run(communities: Int, topics: Int, requests: Int) async throws -> Result {
        let (directory, district, cleanup) = try district(communities: communities, topics: topics)
        defer { cleanup() }

        let central = try await DeskBenchmark.Daemon(
            arguments: ["central", "serve", "--data", directory.url.path, "--port", "0"], log: directory.url.appendingPathComponent("central.log"),
            now: now, started: #"中心已启动：http://127\.0\.0\.1:\d+"#, user: "街道李")
        let side = try await measure(central, communities: communities, requests: requests)
        central.stop()
        let postgres = try await onPostgres(directory, communities: communities, requests: requests)
        return Result(communities: communities, topics: topics, district: district, firstOverview: side.firstOverview,
                      warmSeconds: side.warmSeconds, timings: side.timings, idle: side.idle, postgres: postgres)
    }

    /// Times the desk's pages on a running central, once its figures are ready and its
    /// background work (figures, then the search index) has settled.
    static func measure(_ central: DeskBenchmark.Daemon, communities: Int, requests: Int) async throws -> Side {
        let cookie = try central.login()
        // Right after the start the background refresh is working through the district: the
        // overview shows what is ready and says the rest is being computed, until it is all.
        let firstOverview = try central.time("/office", cookie: cookie)
        let warmSeconds = try await Measure.secondsAsync {
            while try central.get("/office", cookie: cookie).body.contains("正在计算") { try await Task.sleep(for: .milliseconds(500)) }
        }
        let idle = central.memory()
        // A view that caught up indexes the district for search after the figures: wait
        // until the process is idle (under a tenth of a core over two seconds).
        while try await central.busy() { }
        let middle = name(communities / 2)
        func query(_ words: String) -> String { words.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        let search = "/office/search?q=" + query("加装电梯")
        let pages = [("/healthz（基线）", "/healthz"), ("总览（\(communities) 个社区）", "/office"),
                     ("社区页面（今年）", "/office/communities/\(middle)"),
                     ("社区页面（上一年）", "/office/communities/\(middle)?from=2025-01-01&to=2025-12-31"),
                     ("社区议题列表", "/office/communities/\(middle)/topics"),
                     ("社区议题（搜索）", "/office/communities/\(middle)/topics?q=" + query("加装电梯")),
                     ("议题页面", "/office/communities/\(middle)/topics/\(middle)-01-2026-0100"),
                     ("检索（全部社区）", search),
                     ("上报件（待答复）", "/office/escalations"), ("统计（今年）", "/office/stats"),
                     // A word in every topic's description: the worst a search can be.
                     ("检索（每个议题都有的词）", "/office/search?q=" + query("居民反映"))]
        var timings: [DeskBenchmark.Timing] = []
        for (name, path) in pages {
            // At most `requests` requests or half a minute of them, whichever comes first.
            var samples: [Double] = []
            let started = DispatchTime.now().uptimeNanoseconds
            while samples.count < requests, samples.count < 20 || DispatchTime.now().uptimeNanoseconds - started < 30_000_000_000 {
                samples.append(try central.time(path, cookie: cookie))
            }
            samples.sort()
            timings.append(.init(name: name, samples: samples.count, p50: samples[samples.count / 2] * 1000,
                                 p99: samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))] * 1000))
        }
        return Side(firstOverview: firstOverview * 1000, warmSeconds: warmSeconds, timings: timings, idle: idle)
    }

    static func onPostgres(_ directory: DataDirectory, communities: Int, requests: Int) async throws -> OnPostgres {
        let (server, password, stop) = try PostgresBenchmark.cluster()
        defer { stop() }
        var logger = Logger(label: "yishi-bench.office")
        logger.logLevel = .error
        var location = server
        location.database = "office"
        // Left by an earlier run against the same cluster (YISHI_BENCH_POSTGRES).
        try await PostgresBenchmark.admin(server, password, "DROP DATABASE IF EXISTS office", logger: logger)
        try await PostgresBenchmark.admin(server, password, "CREATE DATABASE office", logger: logger)
        let folder = Measure.temporaryDirectory("office-postgres")
        defer { try? FileManager.default.removeItem(at: folder) }
        let passwordFile = folder.appendingPathComponent("password")
        FileManager.default.createFile(atPath: passwordFile.path, contents: Data((password ?? "").utf8), attributes: [.posixPermissions: 0o600])
        let database = ["--database", location.description, "--database-password-file", passwordFile.path]
        let migrateSeconds = try Measure.seconds {
            guard try SyncBenchmark.runYishi(["central", "migrate", "--data", directory.url.path, "--to", location.description,
                                              "--database-password-file", passwordFile.path]) == 0 else {
                throw DeskError("yishi central migrate failed")
            }
        }
        let opened = try await CentralDatabase.open(location, password: password, connections: 2, logger: logger)
        let ops = try await opened.log.counts().values.reduce(0, +)
        await opened.close()
        let started = DispatchTime.now().uptimeNanoseconds
        let central = try await DeskBenchmark.Daemon(
            arguments: ["central", "serve", "--data", folder.appendingPathComponent("view").path, "--port", "0"] + database,
            log: folder.appendingPathComponent("central.log"), now: now, started: #"中心已启动：http://127\.0\.0\.1:\d+"#, user: "街道李")
        defer { central.stop() }
        // Ready to serve the whole district once its view holds every op.
        while try central.applied() < ops { try await Task.sleep(for: .milliseconds(200)) }
        let catchUpSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let side = try await measure(central, communities: communities, requests: requests)
        return OnPostgres(migrateSeconds: migrateSeconds, catchUpSeconds: catchUpSeconds, ops: ops, side: side)
    }

    /// How the district was made, or that it was kept from an earlier run.
    struct District {
        var reused = false
        var ops = 0
        var seedSeconds = 0.0
        var ingestSeconds = 0.0
        var indexSeconds = 0.0
    }

    static func generate(_ folder: URL, _ directory: DataDirectory, communities: Int, topics: Int) throws -> District {
        var district = District()
        var bundle: [UInt8] = []
        district.seedSeconds = try Measure.seconds { bundle = try template(folder, topics: topics) }
        let text = String(decoding: bundle, as: UTF8.self)
        let node = try CentralNode.create(at: directory)
        let key = try StationKey.create(in: folder.appendingPathComponent("TPL-01")).publicKeyText
        district.ingestSeconds = try Measure.seconds {
            for index in 0..<communities {
                let community = name(index)
                let renamed = text.replacingOccurrences(of: "TPL", with: community)
                district.ops += try node.replica.receive(try OpBundle.decode(Array(renamed.utf8), file: community).ops).applied
                try node.registry.enroll(id: "\(community)-01", community: community, publicKey: key)
            }
        }
        // What the central's background work does after taking in a district: index it for search.
        district.indexSeconds = try Measure.seconds { try node.replica.updateSearchIndex() }
        // Every station has pulled what there is, and most synced this morning; every
        // tenth has been silent for four days.
        let last = try DatabaseQueue(path: directory.database.path).read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM arrival") } ?? 0
        for index in 0..<communities {
            let contact = now.milliseconds - (index % 10 == 0 ? 4 * 86_400_000 : 3_600_000)
            try node.registry.record(contact: contact, stationTime: contact + 1_200, for: "\(name(index))-01")
            try node.registry.record(cursor: UInt64(last), for: "\(name(index))-01")
        }
        let staff = try StaffDirectory(file: directory.url.appendingPathComponent(StaffDirectory.fileName), roles: OfficeRole.names)
        try staff.add(name: "街道李", role: OfficeRole.staff.rawValue, password: "mima12345")
        return district
    }

    static func name(_ index: Int) -> String { String(format: "C%03d", index + 1) }

    /// A topic through the 议事厅: confirmed the day it was raised, a meeting four days on,
    /// consensus, one action done a week later, rated by three residents, closed. Topics
    /// raised in the last days before `now` are still waiting for their meeting.
    static func deliberate(_ reference: String, on day: LocalDate, replica: Replica, members: [String]) throws {
        func at(_ days: Int, _ time: String) -> Deliberation {
            let moment = LocalDateTime("\(LocalDate(dayNumber: day.dayNumber + days)) \(time)")!
            return Deliberation(replica: replica, rules: CommunityRules(), now: { moment })
        }
        _ = try at(0, "16:00").holdJointMeeting(date: day, participants: ["张书记", "李主任"],
                                            decisions: [JointDecision(topic: reference, confirm: true)], by: "王芳")
        let meetingDay = LocalDate(dayNumber: day.dayNumber + 4)
        let meeting = try at(0, "17:00").schedule(MeetingDraft(
            form: "居民议事会", time: LocalDateTime("\(meetingDay) 14:30")!, place: "社区议事厅", host: "张书记",
            content: "协商\(referenceOf(reference))", topics: [reference], participants: ["物业：吴经理"]), by: "王芳")
        guard meetingDay.dayNumber + 7 < now.date.dayNumber else { return }
        try at(4, "15:30").vote(meeting, topic: reference, ballots: members.map { ($0, "同意") }, by: "王芳")
        _ = try at(4, "15:40").closeRound(meeting, topic: reference, by: "王芳")
        let action = try at(4, "15:50").addAction(topic: reference, meeting: meeting, elements: ActionElements(
            owner: "物业 吴经理", standard: "按协商结果整改到位", deadline: LocalDate(dayNumber: meetingDay.dayNumber + 10).description,
            supervisor: "居民代表"), by: "王芳")
        try at(11, "10:00").updateAction(action, elements: ActionElements(owner: nil, standard: nil, deadline: nil, supervisor: nil), status: "done", note: "已完成", by: "王芳")
        for resident in ["居民甲", "居民乙", "居民丙"] {
            try at(11, "11:00").evaluate(reference, evaluator: resident, rating: "满意", comment: nil, by: "王芳")
        }
        _ = try at(11, "12:00").closeEvaluation(reference, by: "王芳")
    }

    /// One community's topics through the loop at its station "TPL-01", over the year
    /// before `now`: two in three classified, one in twenty escalated to the street or
    /// the district (half of those answered), one in twenty-five confirmed at a joint
    /// meeting, deliberated four days later, carried out and rated (the results the
    /// residents' board shows), each on the day it happened. Returns the station's export.
    static func template(_ folder: URL, topics: Int) throws -> [UInt8] {
        let replica = try Replica.create(at: DataDirectory(folder.appendingPathComponent("TPL-01")), replica: "TPL-01", community: "TPL")
        // Forty matters in twelve places, as varied as a community's are: a search for one
        // matter finds one topic in forty.
        let matters = ["垃圾分类设施选址", "楼道灯不亮", "停车位不够", "广场舞噪音", "老楼加装电梯", "高龄津贴迟迟未发", "外墙渗水",
                       "下水道堵塞", "快递柜占道", "电动车飞线充电", "绿化带被毁", "路面坑洼", "化粪池清掏", "宠物扰民", "违章搭建",
                       "物业费涨价", "公共收益公开", "消防通道堵塞", "监控坏了", "二次供水", "门禁失灵", "屋顶漏雨", "小区道路照明",
                       "健身器材损坏", "油烟扰民", "施工噪音", "流浪猫", "车棚改造", "老年食堂", "托管班", "楼道堆物", "雨水倒灌",
                       "树木修剪", "井盖缺失", "外卖车乱停", "充电桩安装", "垃圾清运不及时", "电梯困人", "楼顶违建", "地下室积水"]
        let places = ["北门", "南门", "1号楼", "3号楼", "5号楼", "7号楼", "幼儿园旁", "菜场边", "东区", "西区", "中心花园", "老年活动室"]
        let members = ["张书记", "李主任", "赵监督"]
        let seated = Deliberation(replica: replica, rules: CommunityRules(), now: { LocalDateTime("2024-01-01 09:00")! })
        for (name, category) in zip(members, Vocabulary.committeeCategories) {
            _ = try seated.addMember(name: name, category: category, termStart: LocalDate("2024-01-01")!, termEnd: LocalDate("2026-12-31")!, by: "王芳")
        }
        for index in 0..<topics {
            // Newest first in the numbering does not matter; spread over 400 days, so some
            // fall in last year.
            let day = LocalDate(dayNumber: now.date.dayNumber - (index * 7919) % 400)
            let then = LocalDateTime("\(day) 10:00")!
            let loop = Deliberation(replica: replica, rules: CommunityRules(), now: { then })
            let reference = try loop.raise(TopicDraft(
                title: "\(places[index % places.count])\(matters[(index / 3) % matters.count])", description: "居民反映的情况，第\(index)条。需要协商解决。",
                channel: Vocabulary.channels[index % Vocabulary.channels.count], proposer: Proposer(name: "居民\(index % 300)"),
                category: Vocabulary.categories[index % Vocabulary.categories.count], raisedOn: day), by: "王芳")
            if index % 3 != 0 {
                try loop.classify(reference, handling: Vocabulary.handlingClasses[index % 2], category: nil, by: "王芳")
            }
            if index % 25 == 1 {
                try deliberate(reference, on: day, replica: replica, members: members)
            } else if index % 20 == 0 {
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
