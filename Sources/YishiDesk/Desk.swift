import Foundation
import HTTPTypes
import Hummingbird
import YishiHTTP
import NIOCore

/// One desk's web plumbing: who is logged in (session cookie), the CSRF check on every
/// form, the layout around each page, and the login, logout, stylesheet and health routes.
/// The desks above it add their own pages and decide what each role may do.
public struct Desk: Sendable {
    public let staff: any AccountBook
    public let pages: PageRenderer
    /// `站点工作台 · HL3-01`
    public let name: String
    public let nav: [(href: String, label: String)]
    /// Where a person lands after logging in.
    public let home: String
    /// Served over HTTPS (the central with its certificate): cookies are marked Secure, so
    /// a browser never sends a session over plain HTTP.
    public let secureCookies: Bool

    static let sessionCookie = "yishi_session"
    static let loginCookie = "yishi_login"
    static let flashCookie = "yishi_flash"
    /// Long minutes fit comfortably; anything bigger is not a person typing.
    public static let maxFormBytes = 2 * 1024 * 1024
    /// What a login form may be, read before anyone is known.
    static let maxLoginBytes = 16 * 1024

    public init(staff: any AccountBook, pages: PageRenderer, name: String, nav: [(href: String, label: String)], home: String,
                secureCookies: Bool = false) {
        self.secureCookies = secureCookies
        self.staff = staff
        self.pages = pages
        self.name = name
        self.nav = nav
        self.home = home
    }

    // MARK: Sessions

    /// The session the request's cookie opens, if any.
    public func session(_ request: Request) async throws -> DeskSession? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else { return nil }
        return try await staff.session(token: token)
    }

    /// Reads a submitted form and checks its CSRF token against the session's; a form
    /// from anywhere else (or from an expired page) is refused before anything is read
    /// into the loop.
    public func form(_ request: Request, session: DeskSession) async throws -> FormFields {
        let fields = try await formFields(request)
        guard let token = fields.raw("_csrf"), Self.constantTimeEqual(token, session.csrf) else {
            throw DeskRefusal.csrf
        }
        return fields
    }

    func formFields(_ request: Request, limit: Int = Self.maxFormBytes) async throws -> FormFields {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw DeskError("提交的内容太长（超过 \(limit >= 1_048_576 ? "\(limit / 1_048_576) MB" : "\(limit / 1024) KB")），没有保存。")
        }
        return try FormFields(bytes: Array(buffer: buffer))
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: Responses

    /// A page in the layout. A flash message left by the previous action is shown once.
    public func page(_ template: String, title: String, session: DeskSession?, current: String, request: Request,
                     banner: String? = nil, status: HTTPResponse.Status = .ok, page: Any) -> Response {
        let flash = request.cookies[Self.flashCookie].flatMap { $0.value.removingPercentEncoding }
        let chrome = DeskChrome(name: name, title: title, session: session, nav: nav, current: current,
                                flash: flash, banner: banner)
        var response = Self.html(pages.render(template, chrome: chrome, page: page), status: status)
        if flash != nil { response.setCookie(cookie(Self.flashCookie, "", maxAge: 0)) }
        return response
    }

    public static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8",
            // Pages hold residents' personal data: not for shared caches, not for framing.
            .cacheControl: "no-store",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Content-Security-Policy")!: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// After an action: back to a page (303, so a reload does not post again), with a
    /// one-line message for that page.
    public func redirect(_ location: String, flash: String? = nil) -> Response {
        var response = Response.redirect(to: location, type: .normal)
        if let flash, let value = flash.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
            response.setCookie(cookie(Self.flashCookie, value, maxAge: 120))
        }
        return response
    }

    /// To the login page, remembering where the person was going.
    public func toLogin(_ request: Request) -> Response {
        let next = request.method == .get ? request.uri.path : home
        return Response.redirect(to: "/login?" + FormFields.query([("next", next)]), type: .normal)
    }

    /// A page that says why something cannot be done.
    public func message(_ heading: String, _ text: String, session: DeskSession?, request: Request,
                        status: HTTPResponse.Status, back: String? = nil) -> Response {
        page("message", title: heading, session: session, current: "", request: request, status: status,
             page: ["heading": heading, "text": text, "back": back ?? home])
    }

    /// The answer to a refused form that no page can show beside a field: an expired
    /// token, a role that may not write.
    public func refusal(_ refusal: DeskRefusal, session: DeskSession?, request: Request) -> Response {
        switch refusal {
        case .csrf:
            return message("没有保存", "这个表单已过期或不是从本工作台提交的，没有做任何修改。请回到页面刷新后重新填写。",
                           session: session, request: request, status: .forbidden)
        case .role(let what):
            return message("没有权限", "您的账号（\(session?.role ?? "")）不能\(what)。如需办理，请找社区工作者或管理员。",
                           session: session, request: request, status: .forbidden)
        }
    }

    /// Every cookie a desk sets: HttpOnly, SameSite=Strict, and Secure over HTTPS.
    public func cookie(_ name: String, _ value: String, maxAge: Int, path: String = "/") -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    // MARK: Routes every desk has

    /// `/healthz` (unless the server has its own), `/static/desk.css`, `/login`, `/logout`.
    public func addCommonRoutes(to router: Router<YishiRequestContext>, health: Bool = true) {
        if health { router.get("healthz") { _, _ in "ok\n" } }
        router.get("static/desk.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: DeskStyle.css)))
        }
        router.get("login") { request, _ in
            if try await self.session(request) != nil { return Response.redirect(to: self.home) }
            return self.loginPage(request, values: ["next": Self.safeNext(request.uri.queryParameters["next"].map(String.init))], errors: [:], error: nil)
        }
        router.post("login") { request, context in try await self.login(request, from: context.client(request)) }
        router.post("logout") { request, _ in
            guard let session = try await self.session(request) else { return self.toLogin(request) }
            do {
                _ = try await self.form(request, session: session)
            } catch let refusal as DeskRefusal {
                return self.refusal(refusal, session: session, request: request)
            }
            if let token = request.cookies[Self.sessionCookie]?.value { try await self.staff.logout(token: token) }
            var response = Response.redirect(to: "/login", type: .normal)
            response.setCookie(cookie(Self.sessionCookie, "", maxAge: 0))
            return response
        }
    }

    /// Only a path on this desk: a `next` pointing elsewhere would make the login page an
    /// open redirect. Browsers drop tabs and line breaks from an address and read `\` as
    /// `/`, so `/\t/host` leads off-site: only printable characters, no backslash.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" && !$0.properties.isWhitespace })
        else { return "" }
        return next
    }

    private func loginPage(_ request: Request, values: [String: String], errors: [String: String], error: String?,
                           status: HTTPResponse.Status = .ok) -> Response {
        // Before a session exists the form's token is checked against a cookie of its own
        // (double submit), so another site cannot log a browser into an account it chose.
        let token = StaffDirectory.randomHex(16)
        var response = page("login", title: "登录", session: nil, current: "", request: request, status: status, page: [
            "csrf": token, "next": values["next"] ?? "",
            "form": FormState(values: values, errors: errors, error: error),
        ])
        response.setCookie(cookie(Self.loginCookie, token, maxAge: 3600, path: "/login"))
        return response
    }

    private func login(_ request: Request, from address: String) async throws -> Response {
        let fields: FormFields
        do {
            // Nobody is known yet: a login form is a few hundred bytes, and no more is read.
            fields = try await formFields(request, limit: Self.maxLoginBytes)
        } catch let error as DeskError {
            return loginPage(request, values: [:], errors: [:], error: error.message, status: .badRequest)
        }
        let next = Self.safeNext(fields["next"])
        guard let loginToken = request.cookies[Self.loginCookie]?.value, let token = fields.raw("_csrf"),
              Self.constantTimeEqual(loginToken, token) else {
            return loginPage(request, values: ["name": fields["name"] ?? "", "next": next], errors: [:],
                             error: "登录页面已过期，请重新输入姓名和密码。", status: .forbidden)
        }
        let name = fields["name"] ?? ""
        guard !name.isEmpty else {
            return loginPage(request, values: ["next": next], errors: ["name": "请填写姓名。"], error: nil, status: .badRequest)
        }
        do {
            let password = fields.raw("password") ?? ""
            let (token, _) = try await self.staff.login(name: name, password: password, address: address)
            var response = Response.redirect(to: next.isEmpty ? home : next, type: .normal)
            response.setCookie(cookie(Self.sessionCookie, token, maxAge: Int(StaffDirectory.sessionLifetime)))
            response.setCookie(cookie(Self.loginCookie, "", maxAge: 0, path: "/login"))
            return response
        } catch let error as DeskError {
            return loginPage(request, values: ["name": name, "next": next], errors: [error.field ?? "password": error.message],
                             error: nil, status: .unauthorized)
        }
    }
}

/// Why a form was refused before it reached the loop.
public enum DeskRefusal: Error, Sendable {
    /// The CSRF token is missing or wrong.
    case csrf
    /// The person's role may not do this; the words say what (`登记议题`).
    case role(String)
}

/// A form as it goes back to a person after a refusal: what they typed, the message beside
/// each field concerned, and a message for the form as a whole.
public struct FormState: Sendable {
    public var values: [String: String]
    public var errors: [String: String]
    public var error: String?

    public init(values: [String: String] = [:], errors: [String: String] = [:], error: String? = nil) {
        self.values = values
        self.errors = errors
        self.error = error
    }

    /// Every value of `fields` as typed, for filling the form in again.
    public init(_ fields: FormFields, error: DeskError? = nil) {
        var values: [String: String] = [:]
        for (name, value) in fields.pairs where name != "_csrf" {
            values[name] = values[name].map { $0 + "\n" + value } ?? value
        }
        self.values = values
        errors = error?.field.map { [$0: error!.message] } ?? [:]
        self.error = error?.field == nil ? error?.message : nil
    }
}

/// Runs blocking work (bcrypt, SQLite) on a thread of its own, not on the event loop.
public func offloadedDesk<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}

extension Desk {
    /// A form page: `spec` drawn with what the person typed and the messages, if any.
    public func form(_ spec: FormSpec, state: FormState = FormState(), session: DeskSession, current: String,
                     request: Request, banner: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        page("form", title: spec.heading, session: session, current: current, request: request, banner: banner,
             status: status, page: spec.view(state, csrf: session.csrf))
    }
}
