/// YishiStationDesk: the station desk (站点工作台) — the whole 六事 loop in a browser,
/// served by the station box itself and working with no network. Every write goes through
/// the same YishiDeliberation operation as the command line.
import Foundation
import HTTPTypes
import Hummingbird
import YishiHTTP
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel
import YishiPublicBoard
import YishiStore
import YishiSync

/// The roles of a station's staff and what each may do.
public enum StationRole: String, CaseIterable, Sendable {
    /// Every operation of the loop.
    case worker = "社区工作者"
    /// Intake: raising, classifying and revising topics.
    case grid = "网格员"
    /// Viewing and printing.
    case viewer = "只读"

    public static var names: [String] { allCases.map(\.rawValue) }

    func may(_ permission: Permission) -> Bool {
        switch (self, permission) {
        case (.worker, _): true
        case (.grid, .intake), (.grid, .sync): true
        default: false
        }
    }
}

enum Permission {
    case intake, loop, sync
}

public struct StationDesk: Sendable {
    let desk: Desk
    let replica: Replica
    let now: @Sendable () -> LocalDateTime
    /// Wakes the sync loop for the 立即同步 button.
    let syncNow: @Sendable () -> Void
    /// The residents' board of this station's community, on the desk's port: a screen in
    /// the 说事厅 shows it with the cable unplugged.
    let board: PublicBoard

    static let nav: [(href: String, label: String)] = [
        ("/today", "今日"), ("/topics", "议题"), ("/meetings", "会议"), ("/committee", "委员会"), ("/conflicts", "冲突"),
        ("/notices", "公示"), ("/stats", "统计"),
    ]

    public init(replica: Replica, now: @escaping @Sendable () -> LocalDateTime, syncNow: @escaping @Sendable () -> Void) throws {
        self.replica = replica
        self.now = now
        self.syncNow = syncNow
        let staff = try StaffDirectory(file: replica.directory.url.appendingPathComponent(StaffDirectory.fileName),
                                       roles: StationRole.names)
        let rules = try RulesFile.load(from: replica.directory.url)
        desk = Desk(staff: staff, pages: try PageRenderer(templates: Self.templates),
                    name: "站点工作台 · \(rules.communityName ?? replica.community) \(replica.station)",
                    nav: Self.nav, home: "/today")
        board = try PublicBoard(source: Self.boardSource(replica, now: now), limits: .station)
    }

    /// The board reads this station's own community through its loop (the rules read afresh,
    /// as the desk does), and writes what residents raise here under the station's own origin.
    static func boardSource(_ replica: Replica, now: @escaping @Sendable () -> LocalDateTime) -> PublicBoard.Source {
        let rulesFile = replica.directory.url.appendingPathComponent(RulesFile.fileName)
        return PublicBoard.Source(
            communities: { [replica.community] },
            loop: { _ in Deliberation(replica: replica, rules: try RulesFile.load(from: replica.directory.url), now: now) },
            name: { _ in try RulesFile.load(from: replica.directory.url).communityName ?? replica.community },
            // An edit to rules.toml (the community's name, its thresholds) shows on the next page too.
            version: { _ in
                let edited = (try? FileManager.default.attributesOfItem(atPath: rulesFile.path)[.modificationDate] as? Date)?
                    .timeIntervalSince1970 ?? 0
                return try replica.scopeVersion(replica.community) &* 31 &+ Int64(edited)
            },
            publicURL: { try? replica.note(SyncSession.boardNote) })
    }

    /// The loop as of this moment, with the community's rules read afresh (an edit to
    /// `rules.toml` takes effect on the next page, as it does for the next command).
    func loop() throws -> Deliberation {
        Deliberation(replica: replica, rules: try RulesFile.load(from: replica.directory.url), now: now)
    }

    static var templates: [String: String] {
        [
            "today": TodayPage.template, "topics": TopicListView.template, "topic": TopicView.template,
            "history": HistoryView.template, "meetings": MeetingListPage.template, "meeting": MeetingPage.template,
            "committee": CommitteePage.template, "conflicts": ConflictsPage.template, "notices": NoticeListPage.template,
            "stats": StatsView.template, "major": MajorMatterPage.template, "mediation": MediationPage.template,
        ]
    }

    /// The router: the shared routes, then every page and form of the station desk.
    public func router() -> Router<YishiRequestContext> {
        let router = Router(context: YishiRequestContext.self)
        desk.addCommonRoutes(to: router)
        router.get("/") { request, _ in
            try await desk.session(request) == nil ? Response.redirect(to: "/login") : Response.redirect(to: desk.home)
        }
        addTodayRoutes(router)
        addTopicRoutes(router)
        addMeetingRoutes(router)
        addActionRoutes(router)
        addProcedureRoutes(router)
        addMajorMatterRoutes(router)
        addMediationRoutes(router)
        addCommitteeRoutes(router)
        addConflictRoutes(router)
        addNoticeRoutes(router)
        addStatsRoutes(router)
        board.addRoutes(to: router)
        return router
    }

    // MARK: Route helpers (the shared way of serving a desk, with this desk's roles and banner)

    typealias Context = YishiRequestContext

    var routes: DeskRoutes<Permission> {
        DeskRoutes(desk: desk, allows: { StationRole(rawValue: $0.role)?.may($1) == true }, banner: { try banner($0) })
    }

    func page(_ router: Router<Context>, _ path: RouterPath,
              _ body: @escaping @Sendable (Request, Context, DeskSession) throws -> Response) {
        routes.page(router, path, body)
    }

    func action(_ router: Router<Context>, _ path: RouterPath, _ permission: Permission, _ what: String,
                _ body: @escaping @Sendable (Request, Context, DeskSession, FormFields) throws -> Response) {
        routes.action(router, path, permission, what, body)
    }

    func attempt(_ spec: FormSpec, _ fields: FormFields, _ request: Request, _ session: DeskSession, current: String,
                 _ operation: () throws -> Response) throws -> Response {
        try routes.attempt(spec, fields, request, session, current: current, operation)
    }

    func show(_ template: String, title: String, session: DeskSession, current: String, request: Request, _ page: Any) throws -> Response {
        try routes.show(template, title: title, session: session, current: current, request: request, page)
    }

    func form(_ spec: FormSpec, session: DeskSession, current: String, request: Request) throws -> Response {
        try routes.form(spec, session: session, current: current, request: request)
    }

    func notFound(_ what: String, session: DeskSession, request: Request, back: String) -> Response {
        routes.notFound(what, session: session, request: request, back: back)
    }

    static func reference(_ context: Context, _ name: String = "ref") -> String? {
        DeskRoutes<Permission>.reference(context, name)
    }
}
