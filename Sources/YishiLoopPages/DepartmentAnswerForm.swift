import YishiDeliberation
import YishiDesk
import YishiModel

/// 部门报到与答复: the form in which a department's report and answer to an escalation are
/// recorded, and its saving. The station records it when the answer reaches the
/// community; the street office when the department reports to the street (written at the
/// central under the community's origin). Both record the same thing through the same
/// operation, so they show the same form.
public enum DepartmentAnswerForm {
    public static func spec(_ escalation: Escalation, today: LocalDate, action: String, back: String, intro: [String] = []) -> FormSpec {
        FormSpec(
            heading: "部门报到与答复",
            intro: intro,
            facts: [("上报件", escalation.reference), ("上报到", escalation.addressee), ("原因", escalation.reason ?? ""),
                    ("上报日期", escalation.escalatedOn?.description ?? ""), ("时限", escalation.deadline?.description ?? "未定")],
            action: action, submit: "保存",
            inputs: [
                .init("reportedOn", "报到日期", .text(example: today.description), required: true, initial: today.description),
                .init("response", "部门答复", .textarea(), required: true),
            ], back: back)
    }

    /// Records the answer through the loop, which checks it; a bad date or a missing
    /// answer is a message beside its field.
    public static func save(_ fields: FormFields, reference: String, loop: Deliberation, by name: String) throws {
        guard let reportedOn = try Typed.date(fields, "reportedOn", "报到日期") else { throw DeskError("请填写报到日期。", field: "reportedOn") }
        try loop.respond(reference, reportedOn: reportedOn, response: try Typed.required(fields, "response", "部门答复"), by: name)
    }
}
