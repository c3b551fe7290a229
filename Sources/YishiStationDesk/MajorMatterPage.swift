import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel

/// A major matter (五议一备两公开): the five steps in order, the filing and its receipt, the
/// two publications with their printable notices, and the form for whatever comes next.
struct MajorMatterPage: Sendable {
    struct StepRow: Sendable {
        var stepName: String
        var stepDate: String
        var stepPeople: String
        var stepNote: String
        var stepDone: Bool
    }

    var reference: String
    var topicRef: String
    var topicTitle: String
    var stage: String
    var steps: [StepRow]
    var filing: String
    var resolution: String
    var hasResolution: Bool
    var outcome: String
    var hasOutcome: Bool
    var nextHref: String?
    var nextLabel: String?
    var resolutionNotice: Bool
    var outcomeNotice: Bool

    static let template = #"""
        {{<layout}}{{$main}}{{#page}}
        <p class="no-print"><a href="/topics/{{topicRef}}">返回议题 {{topicRef}}</a></p>
        <h1>重大事项 {{reference}} <span class="muted">{{topicTitle}}</span></h1>
        <p><span class="tag">{{stage}}</span></p>
        {{#nextHref}}<nav class="actions-row no-print" aria-label="下一步"><a class="button" href="{{nextHref}}">{{nextLabel}}</a></nav>{{/nextHref}}
        <section class="card" aria-labelledby="five-h"><h2 id="five-h">五议</h2>
          <div class="table-wrap"><table><thead><tr><th scope="col">步骤</th><th scope="col">日期</th><th scope="col">参加人员</th><th scope="col">内容</th></tr></thead><tbody>
          {{#steps}}<tr><th scope="row">{{stepName}}</th><td>{{#stepDone}}{{stepDate}}{{/stepDone}}{{^stepDone}}<span class="muted">未进行</span>{{/stepDone}}</td>
            <td>{{stepPeople}}</td><td>{{stepNote}}</td></tr>{{/steps}}
          </tbody></table></div></section>
        <section class="card" aria-labelledby="file-h"><h2 id="file-h">一备</h2><p>{{filing}}</p>
          {{#hasResolution}}<h3>决议</h3><div class="minutes">{{resolution}}</div>{{/hasResolution}}</section>
        <section class="card" aria-labelledby="pub-h"><h2 id="pub-h">两公开</h2>
          <ul>
            <li>决议公开：{{#resolutionNotice}}<a href="/notices/major/{{reference}}/resolution">打印决议公开</a>{{/resolutionNotice}}{{^resolutionNotice}}备案后公开{{/resolutionNotice}}</li>
            <li>实施结果公开：{{#outcomeNotice}}<a href="/notices/major/{{reference}}/outcome">打印实施结果公开</a>{{/outcomeNotice}}{{^outcomeNotice}}决议公开后，实施完毕再公开{{/outcomeNotice}}</li>
          </ul>
          {{#hasOutcome}}<h3>实施结果</h3><div class="minutes">{{outcome}}</div>{{/hasOutcome}}</section>
        {{/page}}{{/main}}{{/layout}}
        """#
}

extension StationDesk {
    func addMajorMatterRoutes(_ router: Router<Context>) {
        page(router, "majors/:ref") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), let major = try loop.majorMatter(reference) else {
                return notFound("这个重大事项", session: session, request: request, back: "/topics")
            }
            let topic = try major.topic.flatMap { try loop.topic($0) }
            let mayWrite = StationRole(rawValue: session.role)?.may(.loop) == true
            let next: (String, String)? = !mayWrite ? nil
                : major.nextStep.map { ("/majors/\(major.reference)/step", "记录“\($0)”") }
                ?? (major.filedOn == nil ? ("/majors/\(major.reference)/file", "报街道党工委备案")
                    : major.resolutionPublishedOn == nil ? ("/majors/\(major.reference)/publish-resolution", "公开决议")
                    : major.outcomePublishedOn == nil ? ("/majors/\(major.reference)/publish-outcome", "公开实施结果") : nil)
            let page = MajorMatterPage(
                reference: major.reference, topicRef: topic?.reference ?? "", topicTitle: topic?.title ?? "", stage: major.stage,
                steps: MajorMatter.steps.map { step in
                    MajorMatterPage.StepRow(stepName: step, stepDate: major.stepDates[step]?.description ?? "", stepPeople: major.stepPeople[step] ?? "",
                                            stepNote: major.stepNotes[step] ?? "", stepDone: major.stepDates[step] != nil)
                },
                filing: major.filedOn.map { "\($0) 报街道党工委备案；" + (major.acknowledgedOn.map { "\($0) 由 \(major.acknowledgedBy ?? "") 签收。" } ?? "街道尚未签收（签收在街道工作台，下次同步后显示）。") }
                    ?? "五议完成后，把书面决议报街道党工委备案。",
                resolution: major.resolution, hasResolution: !major.resolution.isEmpty, outcome: major.outcome, hasOutcome: !major.outcome.isEmpty,
                nextHref: next?.0, nextLabel: next?.1,
                resolutionNotice: major.filedOn != nil, outcomeNotice: major.resolutionPublishedOn != nil && !major.outcome.isEmpty)
            return try show("major", title: "重大事项 \(major.reference)", session: session, current: "/topics", request: request, page)
        }
        formRoutes(router, "majors/:ref/step", .loop, "记录五议", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.majorMatter($0) }.map { major in
                let step = major.nextStep ?? MajorMatter.steps.last!
                return FormSpec(
                    heading: "重大事项 \(major.reference)：\(step)",
                    intro: ["五议依次进行：\(MajorMatter.steps.joined(separator: " → "))。每一步记下日期、参加人员和内容。"],
                    action: "/majors/\(major.reference)/step", submit: "记录",
                    inputs: [
                        .init("step", "", .hidden, initial: step),
                        .init("date", "日期", .text(example: loop.today.description), required: true, initial: loop.today.description),
                        .init("people", "参加人员或单位", required: true),
                        .init("note", "内容", .textarea(), hint: "提议、商议或决议的要点。"),
                    ], back: "/majors/\(major.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            guard let date = try Typed.date(fields, "date", "日期") else { throw DeskError("请填写日期。", field: "date") }
            let step = try Typed.required(fields, "step", "步骤")
            try loop.recordMajorStep(reference, step: step, date: date, people: try Typed.required(fields, "people", "参加人员"),
                                     note: fields.raw("note"), by: session.name)
            return desk.redirect("/majors/\(reference)", flash: "已记录“\(step)”。")
        }
        formRoutes(router, "majors/:ref/file", .loop, "报街道备案", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.majorMatter($0) }.map { major in
                FormSpec(
                    heading: "重大事项 \(major.reference)：报街道党工委备案",
                    intro: ["备案后，街道党工委在街道工作台签收；签收情况下次同步后显示在这里。备案后即可向居民公开决议。"],
                    action: "/majors/\(major.reference)/file", submit: "备案",
                    inputs: [
                        .init("date", "备案日期", .text(example: loop.today.description), required: true, initial: loop.today.description),
                        .init("resolution", "书面决议", .textarea(long: true), required: true),
                    ], back: "/majors/\(major.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            guard let date = try Typed.date(fields, "date", "备案日期") else { throw DeskError("请填写备案日期。", field: "date") }
            try loop.fileMajor(reference, on: date, resolution: fields.raw("resolution") ?? "", by: session.name)
            return desk.redirect("/majors/\(reference)", flash: "决议已报街道党工委备案。")
        }
        for (path, resolution) in [("publish-resolution", true), ("publish-outcome", false)] {
            formRoutes(router, RouterPath("majors/:ref/\(path)"), .loop, resolution ? "公开决议" : "公开实施结果", current: "/topics") { _, context, loop in
                try Self.reference(context).flatMap { try loop.majorMatter($0) }.map { major in
                    FormSpec(
                        heading: "重大事项 \(major.reference)：\(resolution ? "公开决议" : "公开实施结果")",
                        intro: [resolution ? "决议备案后向全体居民公开；记录后可打印公开的公示。" : "决议实施完毕后，把实施结果向全体居民公开。"],
                        action: "/majors/\(major.reference)/\(path)", submit: "公开",
                        inputs: [.init("date", "公开日期", .text(example: loop.today.description), required: true, initial: loop.today.description)]
                            + (resolution ? [] : [.init("outcome", "实施结果", .textarea(long: true), required: true)]),
                        back: "/majors/\(major.reference)")
                }
            } submit: { fields, loop, session, context in
                let reference = Self.reference(context)!
                guard let date = try Typed.date(fields, "date", "公开日期") else { throw DeskError("请填写公开日期。", field: "date") }
                try loop.publishMajor(reference, resolution: resolution, on: date, outcome: resolution ? nil : fields.raw("outcome") ?? "",
                                      by: session.name)
                return desk.redirect("/majors/\(reference)", flash: resolution ? "已公开决议，可以打印公示。" : "已公开实施结果，可以打印公示。")
            }
        }
        page(router, "notices/major/:ref/:kind") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), try loop.majorMatter(reference) != nil,
                  let kind = context.parameters.get("kind"), ["resolution", "outcome"].contains(kind) else {
                return notFound("这份公示", session: session, request: request, back: "/notices")
            }
            return Desk.html(try loop.majorNotice(reference, resolution: kind == "resolution",
                                                  communityName: loop.rules.communityName ?? replica.community).html)
        }
    }
}
