import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import YishiDeliberation
import YishiDesk
import YishiHTTP
import YishiModel

/// The form a resident raises a matter with, and the receipt look-up. Nothing is written
/// unless the form is whole: a token that matches the board's cookie (no other site can
/// post it), an empty trap field (bots fill every field), the address within its limit, and
/// every field within the desk's own limits. A refusal comes back beside its field with
/// what was typed.
extension PublicBoard {
    func raiseForm(_ request: Request, community: String, typed: BoardIntake.Typed, errors: [String: String], error: String?,
                   status: HTTPResponse.Status) -> Response {
        let kept = request.cookies[Self.cookie]?.value
        let token = kept.map { $0.count == 32 } == true ? kept! : StaffDirectory.randomHex(16)
        let name = (try? source.name(community)) ?? community
        var response = render("boardRaise", title: "我要反映", name: "\(name) 议事公示栏", page: Self.values([
            "community": community, "csrf": token, "error": error, "errors": errors,
            "values": ["matter": typed.matter, "place": typed.place, "name": typed.name, "phone": typed.phone],
        ]), status: status)
        response.setCookie(Cookie(name: Self.cookie, value: token, maxAge: 24 * 3_600, path: "/public", secure: secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    func raise(_ request: Request, context: YishiRequestContext, community: String) async throws -> Response {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maxFormBytes)
        } catch {
            return render("boardMessage", title: "没有提交", page: Self.values([
                "heading": "内容太长，没有提交", "text": "一次提交的内容不能超过 32 KB（约一万字）。请精简后重新填写。",
                "back": "/public/\(community)/raise", "community": community,
            ]), status: .contentTooLarge)
        }
        return try await offloadedDesk {
            let fields: FormFields
            do {
                fields = try FormFields(bytes: Array(buffer: buffer))
            } catch let error as DeskError {
                return raiseForm(request, community: community, typed: .init(), errors: [:], error: error.message + "没有提交。", status: .badRequest)
            }
            let typed = BoardIntake.Typed(fields)
            guard let cookie = request.cookies[Self.cookie]?.value, let token = fields.raw("_csrf"), cookie.count == 32, cookie == token else {
                return raiseForm(request, community: community, typed: typed, errors: [:],
                                 error: "页面已过期，没有提交。请再点一次“提交”。", status: .forbidden)
            }
            guard (fields.raw("website") ?? "").isEmpty else {
                return render("boardMessage", title: "没有提交", page: Self.values([
                    "heading": "没有提交", "text": "提交的内容不完整。请回到表单重新填写。", "back": "/public/\(community)/raise",
                    "community": community,
                ]), status: .badRequest)
            }
            let loop = try source.loop(community)
            let receipt = Receipt.random()
            let draft: TopicDraft
            do {
                draft = try BoardIntake.draft(typed, receipt: receipt, today: loop.today)
            } catch let violation as RuleViolation {
                return raiseForm(request, community: community, typed: typed, errors: [Self.formField(violation.field): violation.message],
                                 error: nil, status: .unprocessableContent)
            }
            if let next = submissions.take(context.client(request)) {
                var response = raiseForm(request, community: community, typed: typed, errors: [:], error: Self.tooOften(next, window: submissions.window, limit: submissions.limit),
                                         status: .tooManyRequests)
                response.headers[.retryAfter] = String(max(1, Int(next.timeIntervalSinceNow.rounded(.up))))
                return response
            }
            do {
                _ = try loop.raise(draft, by: Vocabulary.onlineResident)
            } catch let violation as RuleViolation {
                return raiseForm(request, community: community, typed: typed, errors: [Self.formField(violation.field): violation.message],
                                 error: nil, status: .unprocessableContent)
            }
            return Response.redirect(to: "/public/\(community)/receipt?" + FormFields.query([("code", receipt.code), ("new", "1")]), type: .normal)
        }
    }

    func receipt(_ request: Request, context: YishiRequestContext, community: String) async throws -> Response {
        let typed = request.uri.queryParameters["code"].map(String.init) ?? ""
        let isNew = request.uri.queryParameters["new"] == "1"
        return try await offloadedDesk {
            let name = try source.name(community)
            func page(_ steps: [BoardIntake.Step], code: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
                var response = render("boardReceipt", title: "查进度", name: "\(name) 议事公示栏", page: Self.values([
                    "community": community, "steps": steps, "hasSteps": !steps.isEmpty, "code": code, "typed": typed,
                    "isNew": isNew && !steps.isEmpty, "error": error,
                ]), status: status)
                // Receipts are personal: not kept by a shared browser's cache or history page.
                response.headers[.cacheControl] = "no-store"
                return response
            }
            guard !typed.trimmingCharacters(in: .whitespaces).isEmpty else { return page([], code: "", error: nil) }
            if let next = lookups.take(context.client(request)) {
                var response = page([], code: "", error: Self.tooOften(next, window: lookups.window, limit: lookups.limit), status: .tooManyRequests)
                response.headers[.retryAfter] = String(max(1, Int(next.timeIntervalSinceNow.rounded(.up))))
                return response
            }
            guard let receipt = Receipt(typed: typed) else {
                return page([], code: "", error: "回执号应是 10 位字母和数字，如 7K3PX-9XQ2M。请核对后再查。", status: .badRequest)
            }
            let loop = try source.loop(community)
            guard let topic = try loop.topic(withReceipt: receipt.digest) else {
                return page([], code: "", error: "没有找到回执号 \(receipt.code)。请核对后再查；刚提交的事项会立即查到。", status: .notFound)
            }
            let pages = try BoardPages(loop: loop, community: community, communityName: name)
            return page(try BoardIntake.progress(topic, pages: pages), code: receipt.code, error: nil)
        }
    }

    /// The form's field a rule's message belongs beside.
    static func formField(_ field: String?) -> String {
        switch field {
        case "phone": "phone"
        case "proposerName", "name": "name"
        case "place", "address": "place"
        default: "matter"
        }
    }

    static func tooOften(_ next: Date, window: TimeInterval, limit: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "zh_CN")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3_600)
        formatter.dateFormat = "HH:mm"
        let minutes = max(1, Int((next.timeIntervalSinceNow / 60).rounded(.up)))
        return "提交太频繁：同一网络每 \(Int(window / 60)) 分钟最多 \(limit) 次。请在 \(formatter.string(from: next))（约 \(minutes) 分钟后）再试，没有提交。"
    }
}
