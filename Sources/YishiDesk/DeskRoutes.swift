import Foundation
import HTTPTypes
import Hummingbird
import YishiHTTP
import YishiModel
import YishiStore

/// How a desk's pages and forms are served, the same way at the station and the office:
/// a session first (or the login page), the role's permission, the CSRF token, the work
/// off the event loop, and a refused form shown again with its messages and what was
/// typed. `Permission` is each desk's own list of what a role may do.
public struct DeskRoutes<Permission: Sendable>: Sendable {
    public typealias Context = YishiRequestContext

    public let desk: Desk
    let allows: @Sendable (DeskSession, Permission) -> Bool
    let banner: @Sendable (DeskSession) throws -> String?

    public init(desk: Desk, allows: @escaping @Sendable (DeskSession, Permission) -> Bool,
                banner: @escaping @Sendable (DeskSession) throws -> String? = { _ in nil }) {
        self.desk = desk
        self.allows = allows
        self.banner = banner
    }

    public func may(_ session: DeskSession, _ permission: Permission) -> Bool { allows(session, permission) }

    /// A page for anyone logged in; the body runs off the event loop (SQLite).
    public func page(_ router: Router<Context>, _ path: RouterPath,
                     _ body: @escaping @Sendable (Request, Context, DeskSession) throws -> Response) {
        router.get(path) { request, context in
            guard let session = try await desk.session(request) else { return desk.toLogin(request) }
            return try await offloadedDesk { try body(request, context, session) }
        }
    }

    /// A form submission: a session, a role allowed to do it (`what` names the act for the
    /// refusal), and a valid CSRF token come first; only then does the body see the form.
    public func action(_ router: Router<Context>, _ path: RouterPath, _ permission: Permission, _ what: String,
                       _ body: @escaping @Sendable (Request, Context, DeskSession, FormFields) throws -> Response) {
        router.post(path) { request, context in
            guard let session = try await desk.session(request) else { return desk.toLogin(request) }
            guard allows(session, permission) else { return desk.refusal(.role(what), session: session, request: request) }
            let fields: FormFields
            do {
                fields = try await desk.form(request, session: session)
            } catch let refusal as DeskRefusal {
                return desk.refusal(refusal, session: session, request: request)
            } catch let error as DeskError {
                return desk.message("没有保存", error.message, session: session, request: request, status: .badRequest)
            }
            return try await offloadedDesk { try body(request, context, session, fields) }
        }
    }

    /// A form at `path`: GET shows it, POST runs `submit`; a refusal shows the same form
    /// again. `spec` returns nil when the record the path names does not exist.
    public func formRoutes(_ router: Router<Context>, _ path: RouterPath, _ permission: Permission, _ what: String, current: String,
                           spec: @escaping @Sendable (Request, Context) throws -> FormSpec?,
                           submit: @escaping @Sendable (FormFields, DeskSession, Context) throws -> Response) {
        page(router, path) { request, context, session in
            guard allows(session, permission) else { return desk.refusal(.role(what), session: session, request: request) }
            guard let spec = try spec(request, context) else { return notFound("这条记录", session: session, request: request, back: current) }
            return try form(spec, session: session, current: current, request: request)
        }
        action(router, path, permission, what) { request, context, session, fields in
            guard let spec = try spec(request, context) else { return notFound("这条记录", session: session, request: request, back: current) }
            return try attempt(spec, fields, request, session, current: current) { try submit(fields, session, context) }
        }
    }

    /// Runs an operation; on a refusal, shows the form again with the message beside the
    /// field it concerns and everything the person typed. Nothing was written.
    public func attempt(_ spec: FormSpec, _ fields: FormFields, _ request: Request, _ session: DeskSession, current: String,
                        _ operation: () throws -> Response) throws -> Response {
        let refusal: DeskError
        do {
            return try operation()
        } catch let violation as RuleViolation {
            refusal = DeskError(violation.text(at: .desk), field: violation.field)
        } catch let error as DeskError {
            refusal = error
        } catch let error as StoreError {
            refusal = DeskError(error.description)
        }
        return desk.form(spec, state: FormState(fields, error: refusal), session: session, current: current, request: request,
                         banner: try banner(session), status: .unprocessableContent)
    }

    public func show(_ template: String, title: String, session: DeskSession, current: String, request: Request,
                     _ page: Any) throws -> Response {
        desk.page(template, title: title, session: session, current: current, request: request, banner: try banner(session), page: page)
    }

    public func form(_ spec: FormSpec, session: DeskSession, current: String, request: Request) throws -> Response {
        desk.form(spec, session: session, current: current, request: request, banner: try banner(session))
    }

    public func notFound(_ what: String, session: DeskSession, request: Request, back: String) -> Response {
        desk.message("找不到", "找不到\(what)。请从列表中重新选择。", session: session, request: request, status: .notFound, back: back)
    }

    /// A reference from the path, checked to be one (`HL3-01-2026-0017`, `HL3-01`): nothing
    /// else reaches the loop.
    public static func reference(_ context: Context, _ name: String = "ref") -> String? {
        guard let text = context.parameters.get(name), !text.isEmpty, text.count <= 64,
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") })
        else { return nil }
        return text
    }
}
