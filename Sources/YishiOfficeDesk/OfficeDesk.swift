/// YishiOfficeDesk: the street office's desk (街道工作台) at the central — every
/// community's loop at a glance, escalations by department, station health and
/// enrollment — served by `yishi central serve` on the sync port, through the same
/// YishiDeliberation operations as every other write path.
import Foundation
import Hummingbird
import YishiHTTP
import YishiCentral
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel
import YishiStore

/// The office's roles and what each may do.
public enum OfficeRole: String, CaseIterable, Sendable {
    /// Everything, enrollment of stations included.
    case admin = "街道管理员"
    /// Viewing, and recording departments' reports and answers, the street's opinions and
    /// receipts of filed major matters.
    case staff = "街道工作人员"
    case viewer = "只读"

    public static var names: [String] { allCases.map(\.rawValue) }

    func may(_ permission: OfficePermission) -> Bool {
        switch (self, permission) {
        case (.admin, _), (.staff, .respond): true
        default: false
        }
    }
}

enum OfficePermission: Sendable {
    case respond, enroll
}

public struct OfficeDesk: Sendable {
    let desk: Desk
    /// The central's records and stations: a single central, or a process's view of a shared database.
    let central: any OfficeCentral
    let now: @Sendable () -> LocalDateTime
    let figuresCache = FiguresCache()
    let escalationsCache = EscalationsCache()
    /// The certificate the central serves, summarised for the 站点 page (nil: plain HTTP).
    let tlsCertificate: [(String, String)]?

    static let nav: [(href: String, label: String)] = [
        ("/office", "总览"), ("/office/escalations", "上报件"), ("/office/opinions", "征询"), ("/office/filings", "备案"),
        ("/office/search", "检索"), ("/office/stats", "统计"), ("/office/stations", "站点"),
    ]

    /// `certificate`: the central serves HTTPS with this certificate file; the desk's
    /// cookies are then Secure (see Desk) and the 站点 page shows the certificate.
    /// `secureCookies`: reached over HTTPS through a proxy (`https_proxy`) though it serves
    /// plain HTTP itself.
    public init(node: CentralNode, certificate: String? = nil, secureCookies: Bool = false, now: @escaping @Sendable () -> LocalDateTime) throws {
        let staff = try StaffDirectory(file: node.replica.directory.url.appendingPathComponent(StaffDirectory.fileName),
                                       roles: OfficeRole.names)
        try self.init(central: node, accounts: staff, certificate: certificate, secureCookies: secureCookies, now: now)
    }

    /// The desk over any central: `accounts` are where its staff log in (a shared
    /// database's, when several processes serve the desk).
    public init(central: any OfficeCentral, accounts: any AccountBook, certificate: String? = nil, secureCookies: Bool = false,
                now: @escaping @Sendable () -> LocalDateTime) throws {
        self.central = central
        self.now = now
        tlsCertificate = certificate.flatMap(CentralCertificates.summary(ofCertificateAt:))
        let secureCookies = secureCookies || certificate != nil
        desk = Desk(staff: accounts, pages: try PageRenderer(templates: [
            "overview": OverviewPage.template, "escalations": EscalationsPage.template, "stations": StationsPage.template,
            "community": CommunityPage.template, "topics": TopicListView.template, "topic": TopicView.template,
            "history": HistoryView.template, "stats": StatsView.template, "requests": StreetRequestsPage.template,
        ]), name: "街道工作台", nav: Self.nav, home: "/office", secureCookies: secureCookies)
    }

    var routes: DeskRoutes<OfficePermission> {
        DeskRoutes(desk: desk, allows: { OfficeRole(rawValue: $0.role)?.may($1) == true })
    }

    /// The office's pages on the central's router. A browser session never authorises a
    /// sync request (those check station signatures), and a station key opens no page.
    public func addRoutes(to router: Router<YishiRequestContext>) {
        desk.addCommonRoutes(to: router, health: false)
        router.get("/") { request, _ in
            try await desk.session(request) == nil ? Response.redirect(to: "/login") : Response.redirect(to: desk.home)
        }
        addOverviewRoutes(router)
        addCommunityRoutes(router)
        addSearchRoutes(router)
        addStatsRoutes(router)
        addEscalationRoutes(router)
        addStreetRequestRoutes(router)
        addStationRoutes(router)
    }

    /// Recomputes the figures of communities whose records changed, re-reads their
    /// escalations, and indexes for search the records that changed, at the start and then
    /// every `interval`, so that a page seldom has to do any of it (see FiguresCache and
    /// EscalationsCache).
    public func keepFiguresFresh(every interval: Duration = .seconds(30)) async {
        while !Task.isCancelled {
            // A view catching up changes every community for minutes; figures computed
            // meanwhile would be thrown away and would slow the catching up.
            if central.catchingUp {
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            _ = try? await offloadedDesk { try figuresCache.figures(self, today: now().date) }
            _ = try? await offloadedDesk { try escalationsCache.escalations(self) }
            _ = try? await offloadedDesk { try central.replica.updateSearchIndex() }
            try? await Task.sleep(for: interval)
        }
    }

    /// The loop of one community as the central holds it (every community's thresholds
    /// are the seeds' defaults here; a community's own rules.toml stays at its stations).
    func loop(_ community: String? = nil) -> Deliberation {
        Deliberation(replica: central.replica, rules: CommunityRules(), now: now, scope: community)
    }

    /// The communities the central knows: from enrolled stations and from the records.
    func communities() throws -> [String] { try central.communities() }
}
