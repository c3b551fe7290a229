/// YishiPublicBoard: the residents' side — the board (公示栏) online and matters raised from
/// a phone (网络征集平台) — served without login under `/public/<community>`: by the central
/// for every community, by each station for its own, so that the screen in the 说事厅 shows
/// it with the cable unplugged. It reads through YishiDeliberation, redacts as the notices
/// do and more (see BoardRedaction), and writes only through `Deliberation.raise`.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import YishiDeliberation
import YishiDesk
import YishiHTTP
import YishiMerge
import YishiModel
import YishiQRCode

public struct PublicBoard: Sendable {
    /// Where the board reads and writes, which is where the daemons differ.
    public struct Source: Sendable {
        /// The communities this board serves (a station: its own; the central: all).
        public var communities: @Sendable () throws -> [String]
        /// A community's loop: at the central scoped to it, so that what a resident raises
        /// is written under the community's own origin (`central.<community>`).
        public var loop: @Sendable (String) throws -> Deliberation
        /// A community's name as residents know it (哈量三社区), or its id.
        public var name: @Sendable (String) throws -> String
        /// A community's version, which every op applied in it raises: pages rendered at one
        /// version are served again until it moves.
        public var version: @Sendable (String) throws -> Int64
        /// The address residents open the board at (`public_url`), for the QR codes; nil
        /// when none is set.
        public var publicURL: @Sendable () -> String?

        public init(communities: @escaping @Sendable () throws -> [String], loop: @escaping @Sendable (String) throws -> Deliberation,
                    name: @escaping @Sendable (String) throws -> String, version: @escaping @Sendable (String) throws -> Int64,
                    publicURL: @escaping @Sendable () -> String?) {
            self.communities = communities
            self.loop = loop
            self.name = name
            self.version = version
            self.publicURL = publicURL
        }
    }

    /// How often one address may submit a matter and look up receipts. A station's board
    /// is often one shared screen in the 说事厅, so it allows more.
    public struct Limits: Sendable {
        public var submissions: Int
        public var submissionWindow: TimeInterval
        public var lookups: Int
        public var lookupWindow: TimeInterval
        /// Pages a second the board serves in all (see BoardBudget).
        public var pagesPerSecond: Double

        public init(submissions: Int, submissionWindow: TimeInterval, lookups: Int, lookupWindow: TimeInterval, pagesPerSecond: Double) {
            self.submissions = submissions
            self.submissionWindow = submissionWindow
            self.lookups = lookups
            self.lookupWindow = lookupWindow
            self.pagesPerSecond = pagesPerSecond
        }

        public static let central = Limits(submissions: 5, submissionWindow: 3_600, lookups: 30, lookupWindow: 600, pagesPerSecond: 200)
        public static let station = Limits(submissions: 30, submissionWindow: 3_600, lookups: 120, lookupWindow: 600, pagesPerSecond: 50)
    }

    /// What one resident's form may weigh: ample for a thousand characters, far below a desk's.
    static let maxFormBytes = 32 * 1024
    static let cookie = "yishi_board"

    let source: Source
    let pages: PageRenderer
    let submissions: RateLimiter
    let lookups: RateLimiter
    let budget: BoardBudget
    let cache = BoardCache()
    let secureCookies: Bool

    public init(source: Source, limits: Limits, secureCookies: Bool = false) throws {
        self.source = source
        self.secureCookies = secureCookies
        pages = try PageRenderer(templates: BoardTemplates.all)
        submissions = RateLimiter(limit: limits.submissions, window: limits.submissionWindow)
        lookups = RateLimiter(limit: limits.lookups, window: limits.lookupWindow)
        budget = BoardBudget(perSecond: limits.pagesPerSecond)
    }

    /// The board's links, also printed as QR codes on the paper notices.
    public enum Link {
        public static func meeting(_ base: String, _ community: String, _ reference: String) -> String {
            "\(trimmed(base))/public/\(community)/meetings/\(reference)"
        }

        public static func topic(_ base: String, _ community: String, _ reference: String) -> String {
            "\(trimmed(base))/public/\(community)/topics/\(reference)"
        }

        static func trimmed(_ base: String) -> String { base.hasSuffix("/") ? String(base.dropLast()) : base }
    }

    /// A QR code of `url` as SVG, for a page or a printed notice.
    public static func qrCode(_ url: String) -> String? { QRCode(url).map { $0.svg(title: "二维码：\(url)") } }

    public func addRoutes(to router: Router<YishiRequestContext>) {
        // Every board route passes the budget; nothing else on the router does.
        let board = router.group("public").add(middleware: BudgetMiddleware(budget: budget) {
            render("boardMessage", title: "请稍后", page: Self.values([
                "heading": "公示栏正忙", "text": "现在打开公示栏的人很多，请稍等几秒再刷新。", "back": "/public",
            ]), status: .serviceUnavailable)
        })
        board.get("static/board.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: BoardStyle.css)))
        }
        board.get { _, _ in
            try await offloadedDesk {
                let communities = try source.communities()
                if communities.count == 1 { return Response.redirect(to: "/public/\(communities[0])") }
                return render("boardIndex", title: "社区议事公示栏", page: Self.values([
                    "communities": try communities.map { ["id": $0, "name": try source.name($0)] },
                ]))
            }
        }
        cachedPage(board, ":community", "公示栏") { pages, _ in
            (pages.communityName + " 议事公示栏", "boardHome", try pages.home())
        }
        cachedPage(board, ":community/ideas", "金点子") { pages, _ in
            ("金点子", "boardIdeas", pages.ideas())
        }
        cachedPage(board, ":community/meetings/:ref", "会议公示") { pages, reference in
            try pages.meeting(reference!, qr: qr { Link.meeting($0, pages.community, reference!) }).map { ("协商会议公示 \($0.reference)", "boardMeeting", $0) }
        }
        cachedPage(board, ":community/topics/:ref", "议事结果") { pages, reference in
            try pages.topic(reference!, qr: qr { Link.topic($0, pages.community, reference!) }).map { ("议事结果 \($0.reference)", "boardTopic", $0) }
        }
        cachedPage(board, ":community/majors/:ref", "重大事项公开") { pages, reference in
            try pages.major(reference!).map { ("重大事项公开 \($0.reference)", "boardMajor", $0) }
        }
        board.get(":community/raise") { request, context in
            guard let community = try await community(context) else { return notFound(nil) }
            return try await offloadedDesk { raiseForm(request, community: community, typed: .init(), errors: [:], error: nil, status: .ok) }
        }
        board.post(":community/raise") { request, context in
            guard let community = try await community(context) else { return notFound(nil) }
            return try await raise(request, context: context, community: community)
        }
        board.get(":community/receipt") { request, context in
            guard let community = try await community(context) else { return notFound(nil) }
            return try await receipt(request, context: context, community: community)
        }
    }

    // MARK: Pages

    /// A read-only page, rendered once per community version and day and served from the
    /// cache after: residents' phones and a shared screen ask for the same few pages.
    private func cachedPage(_ router: RouterGroup<YishiRequestContext>, _ path: RouterPath, _ what: String,
                            _ build: @escaping @Sendable (BoardPages, String?) throws -> (String, String, Any)?) {
        router.get(path) { request, context in
            guard let community = try await community(context) else { return notFound(nil) }
            let reference = context.parameters.get("ref")
            if let reference, !Self.isReference(reference) { return notFound(community) }
            return try await offloadedDesk {
                let loop = try source.loop(community)
                let key = BoardCache.Key(community: community, path: request.uri.path, version: try source.version(community), day: loop.today)
                if let html = cache.html(key) { return Desk.html(html) }
                let pages = try BoardPages(loop: loop, community: community, communityName: try source.name(community))
                guard let (title, template, page) = try build(pages, reference) else { return notFound(community) }
                let html = render(title: title, template: template, name: pages.communityName, page: page)
                cache.store(key, html)
                return Desk.html(html)
            }
        }
    }

    private func render(title: String, template: String, name: String, page: Any) -> String {
        pages.render(template, chrome: DeskChrome(name: "\(name) 议事公示栏", title: title, session: nil, nav: [], current: ""), page: page)
    }

    func render(_ template: String, title: String, name: String = "社区议事公示栏", page: Any, status: HTTPResponse.Status = .ok) -> Response {
        Desk.html(pages.render(template, chrome: DeskChrome(name: name, title: title, session: nil, nav: [], current: ""), page: page),
                  status: status)
    }

    /// The community the path names, if this board serves it; nothing else reaches the loop.
    private func community(_ context: YishiRequestContext) async throws -> String? {
        guard let name = context.parameters.get("community"), Self.isReference(name) else { return nil }
        return try await offloadedDesk { try source.communities().contains(name) ? name : nil }
    }

    /// A page's values without the absent ones: a nil boxed in `Any` would print as “nil”.
    static func values(_ values: [String: Any?]) -> [String: Any] { values.compactMapValues { $0 } }

    static func isReference(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
    }

    private func qr(_ url: (String) -> String) -> String? {
        source.publicURL().flatMap { Self.qrCode(url($0)) }
    }

    /// Not found, and no more: never which records exist, never what the path held.
    func notFound(_ community: String?) -> Response {
        render("boardMessage", title: "找不到", page: Self.values([
            "heading": "找不到这个页面", "text": "您要找的公示不存在，或者还没有公开。", "back": community.map { "/public/\($0)" } ?? "/public",
            "community": community,
        ]), status: .notFound)
    }
}

/// Rendered pages by community, path, version and day.
final class BoardCache: @unchecked Sendable {
    struct Key: Hashable {
        var community: String
        var path: String
        var version: Int64
        var day: LocalDate
    }

    private var pages: [Key: String] = [:]
    private let lock = NSLock()

    func html(_ key: Key) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return pages[key]
    }

    func store(_ key: Key, _ html: String) {
        lock.lock()
        defer { lock.unlock() }
        // A page of an older version is never served again: drop them all when the cache fills.
        if pages.count >= 5_000 { pages.removeAll(keepingCapacity: true) }
        pages[key] = html
    }
}

extension NoticeDocument {
    /// Prints the notice's page on the board beside it, as a QR code, when the board's
    /// address is known (`public_url` at the central, told to stations as they sync).
    public mutating func linkOnline(_ url: String?) {
        guard let url, let svg = PublicBoard.qrCode(url) else { return }
        onlineCopy = (url, svg)
    }
}
