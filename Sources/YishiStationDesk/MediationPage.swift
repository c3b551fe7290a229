import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel

/// A mediation (创新解事): who mediates and who takes part, each session, and the outcome,
/// with the forms for the next session and for the outcome.
struct MediationPage: Sendable {
    var reference: String
    var topicRef: String
    var topicTitle: String
    var mediator: String
    var participants: String
    var sessions: [String]
    var hasSessions: Bool
    var outcome: String?
    var agreement: String
    var hasAgreement: Bool
    var open: Bool
    var mayWrite: Bool

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <p class="no-print"><a href="/topics/{{topicRef}}">返回议题 {{topicRef}}</a></p>
        <h1>调解 {{reference}} <span class="muted">{{topicTitle}}</span></h1>
        <p><span class="tag">{{#outcome}}{{outcome}}{{/outcome}}{{^outcome}}调解中{{/outcome}}</span></p>
        {{#mayWrite}}{{#open}}<nav class="actions-row no-print" aria-label="下一步"><a class="button" href="/mediations/{{reference}}/session">记录一次调解</a>
          <a class="button" href="/mediations/{{reference}}/close">记录调解结果</a></nav>{{/open}}{{/mayWrite}}
        <section class="card" aria-labelledby="who-h"><h2 id="who-h">调解人和参与者</h2>
          <dl class="facts"><dt>调解人</dt><dd>{{mediator}}</dd><dt>参与调解</dt><dd>{{participants}}</dd></dl></section>
        <section class="card" aria-labelledby="ses-h"><h2 id="ses-h">调解经过</h2>
          {{#hasSessions}}<ol>{{#sessions}}<li>{{.}}</li>{{/sessions}}</ol>{{/hasSessions}}{{^hasSessions}}<p>还没有记录调解经过。</p>{{/hasSessions}}</section>
        {{#hasAgreement}}<section class="card" aria-labelledby="agr-h"><h2 id="agr-h">调解协议</h2><div class="minutes">{{agreement}}</div></section>{{/hasAgreement}}
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension StationDesk {
    func addMediationRoutes(_ router: Router<Context>) {
        page(router, "mediations/:ref") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), let mediation = try loop.mediation(reference) else {
                return notFound("这个调解", session: session, request: request, back: "/topics")
            }
            let topic = try mediation.topic.flatMap { try loop.topic($0) }
            let page = MediationPage(
                reference: mediation.reference, topicRef: topic?.reference ?? "", topicTitle: topic?.title ?? "",
                mediator: mediation.mediator ?? "", participants: mediation.participants.isEmpty ? "（无）" : mediation.participants.joined(separator: "、"),
                sessions: mediation.sessions, hasSessions: !mediation.sessions.isEmpty,
                outcome: mediation.outcome == nil ? nil : mediation.stateText,
                agreement: mediation.agreement, hasAgreement: !mediation.agreement.isEmpty, open: mediation.outcome == nil,
                mayWrite: StationRole(rawValue: session.role)?.may(.loop) == true)
            return try show("mediation", title: "调解 \(mediation.reference)", session: session, current: "/topics", request: request, page)
        }
        formRoutes(router, "mediations/:ref/session", .loop, "记录调解经过", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.mediation($0) }.map { mediation in
                FormSpec(
                    heading: "调解 \(mediation.reference)：记录一次调解",
                    action: "/mediations/\(mediation.reference)/session", submit: "记录",
                    inputs: [
                        .init("date", "日期", .text(example: loop.today.description), required: true, initial: loop.today.description),
                        .init("summary", "调解情况", .textarea(), hint: "双方的意见、达成的共识或分歧。", required: true),
                    ], back: "/mediations/\(mediation.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            guard let date = try Typed.date(fields, "date", "日期") else { throw DeskError("请填写日期。", field: "date") }
            try loop.recordMediationSession(reference, on: date, summary: fields.raw("summary") ?? "", by: session.name)
            return desk.redirect("/mediations/\(reference)", flash: "已记录一次调解。")
        }
        formRoutes(router, "mediations/:ref/close", .loop, "记录调解结果", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.mediation($0) }.map { mediation in
                FormSpec(
                    heading: "调解 \(mediation.reference)：调解结果",
                    intro: ["化解的，写明调解协议，之后请当事双方评价；转交的，写明转交给谁；未化解的，议题可另行协商或上报。"],
                    action: "/mediations/\(mediation.reference)/close", submit: "记录结果",
                    inputs: [
                        .init("outcome", "结果", .radio(Vocabulary.mediationOutcomes.map { .init($0) }), required: true),
                        .init("agreement", "调解协议（化解时）", .textarea(), hint: "双方各自做什么、何时做到。"),
                        .init("transferredTo", "转交给（转交时）", hint: "如 区人民法院、街道人民调解委员会。"),
                        .init("date", "日期", .text(example: loop.today.description), required: true, initial: loop.today.description),
                    ], back: "/mediations/\(mediation.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            guard let date = try Typed.date(fields, "date", "日期") else { throw DeskError("请填写日期。", field: "date") }
            let outcome = try Typed.required(fields, "outcome", "结果")
            try loop.closeMediation(reference, outcome: outcome, on: date, agreement: fields.raw("agreement"), transferredTo: fields["transferredTo"],
                                    by: session.name)
            return desk.redirect("/mediations/\(reference)", flash: "已记录调解结果：\(outcome)。")
        }
    }
}
