import Hummingbird
import YishiMerge
import YishiModel
import YishiDeliberation
import YishiDesk

extension StationDesk {
    /// A form at `path` whose spec and submit see the loop as of this request.
    func formRoutes(_ router: Router<Context>, _ path: RouterPath, _ permission: Permission, _ what: String, current: String,
                    spec: @escaping @Sendable (Request, Context, Deliberation) throws -> FormSpec?,
                    submit: @escaping @Sendable (FormFields, Deliberation, DeskSession, Context) throws -> Response) {
        routes.formRoutes(router, path, permission, what, current: current) { request, context in
            try spec(request, context, try loop())
        } submit: { fields, session, context in
            try submit(fields, try loop(), session, context)
        }
    }
}
