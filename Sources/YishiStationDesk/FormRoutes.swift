import Hummingbird
import YishiMerge
import YishiModel
import YishiDeliberation
import YishiDesk

extension StationDesk {
    /// A form at `path`: GET shows it, POST runs `submit` through the loop; a refusal shows
    /// the same form again with the message and what was typed. `spec` returns nil when the
    /// record the path names does not exist.
    func formRoutes(_ router: Router<Context>, _ path: RouterPath, _ permission: Permission, _ what: String, current: String,
                    spec: @escaping @Sendable (Request, Context, Deliberation) throws -> FormSpec?,
                    submit: @escaping @Sendable (FormFields, Deliberation, DeskSession, Context) throws -> Response) {
        page(router, path) { request, context, session in
            guard StationRole(rawValue: session.role)?.may(permission) == true else {
                return desk.refusal(.role(what), session: session, request: request)
            }
            guard let spec = try spec(request, context, try loop()) else {
                return notFound("这条记录", session: session, request: request, back: current)
            }
            return try form(spec, session: session, current: current, request: request)
        }
        action(router, path, permission, what) { request, context, session, fields in
            let loop = try loop()
            guard let spec = try spec(request, context, loop) else {
                return notFound("这条记录", session: session, request: request, back: current)
            }
            return try attempt(spec, fields, request, session, current: current) {
                try submit(fields, loop, session, context)
            }
        }
    }
}

/// Reading typed values into the loop's types, with a message beside the field when they
/// do not fit.
enum Typed {
    static func required(_ fields: FormFields, _ name: String, _ label: String) throws -> String {
        guard let value = fields[name] else { throw DeskError("请填写\(label)。", field: name) }
        return value
    }

    static func date(_ fields: FormFields, _ name: String, _ label: String) throws -> LocalDate? {
        guard let text = fields[name] else { return nil }
        guard let date = LocalDate(text) else {
            throw DeskError("\(label)“\(text)”不是有效日期：请写成 2026-12-31 这样的格式，并确认这一天存在。", field: name)
        }
        return date
    }

    static func dateTime(_ fields: FormFields, _ name: String, _ label: String) throws -> LocalDateTime {
        let text = try required(fields, name, label)
        guard let time = LocalDateTime(text) else {
            throw DeskError("\(label)“\(text)”不是有效时间：请写成 2026-11-25 14:30 这样的格式，并确认这一天存在。", field: name)
        }
        return time
    }

    static func count(_ fields: FormFields, _ name: String, _ label: String) throws -> Int {
        let text = try required(fields, name, label)
        guard let number = Int(text), number >= 0 else { throw DeskError("\(label)应是 0 或正整数，现在是“\(text)”。", field: name) }
        return number
    }

    /// One per line (participants, names at a meeting).
    static func lines(_ fields: FormFields, _ name: String) -> [String] {
        (fields.raw(name) ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The text as the person loaded it, sent back from the page (see `TextBase`).
    static func base(_ fields: FormFields, _ name: String = "base") throws -> TextBase {
        guard let text = fields.raw(name), let base = TextBase(encoded: text) else {
            throw DeskError("页面缺少原文信息，没有保存。请刷新页面后重新修改。")
        }
        return base
    }
}
