import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel

/// 合力办事 at the desk: actions with their four elements, escalations and the
/// departments' answers.
extension StationDesk {
    func addActionRoutes(_ router: Router<Context>) {
        formRoutes(router, "topics/:ref/actions/new", .loop, "添加落实事项", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                let meetings = try topic.meetings.compactMap { try loop.meeting($0) }.sorted { $0.round > $1.round }
                return FormSpec(
                    heading: "添加落实事项",
                    intro: ["纪要须写明：谁来干、干到什么标准、什么时间干完、谁来监督。可以先写一部分，纪要定稿前补齐。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)")],
                    action: "/topics/\(topic.reference)/actions/new", submit: "添加",
                    inputs: [
                        .init("meeting", "议定它的会议", .select(meetings.map { .init($0.reference, "\($0.reference) 第 \($0.round) 轮 \($0.time?.description ?? "")") }),
                              initial: meetings.first?.reference),
                        .init("owner", "谁来干", hint: "如 物业 吴经理。"),
                        .init("standard", "干到什么标准"),
                        .init("deadline", "什么时间干完", .text(example: "2026-12-31")),
                        .init("supervisor", "谁来监督"),
                    ], back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            let elements = ActionElements(owner: fields["owner"], standard: fields["standard"], deadline: fields["deadline"],
                                          supervisor: fields["supervisor"])
            let action = referenceOf(try loop.addAction(topic: reference, meeting: fields["meeting"], elements: elements, by: session.name))
            let missing = elements.missing
            return desk.redirect("/topics/\(reference)",
                                 flash: "已添加落实事项 \(action)。" + (missing.isEmpty ? "" : "尚缺：\(missing.joined(separator: "、"))（纪要定稿前须补齐）。"))
        }
        formRoutes(router, "actions/:ref", .loop, "更新落实事项", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.action($0) }.map { action in
                FormSpec(
                    heading: "落实事项 \(action.reference)",
                    intro: ["补充四要素、更新进度，或记一条进展（自动记上日期）。"],
                    facts: [("议题", referenceOf(action.topic ?? "")), ("状态", Workflow.action.label(of: action.status ?? ""))]
                        + action.notes.map { ("进展", $0) },
                    action: "/actions/\(action.reference)", submit: "保存",
                    inputs: [
                        .init("owner", "谁来干", initial: action.elements.owner),
                        .init("standard", "干到什么标准", initial: action.elements.standard),
                        .init("deadline", "什么时间干完", .text(example: "2026-12-31"), initial: action.elements.deadline),
                        .init("supervisor", "谁来监督", initial: action.elements.supervisor),
                        .init("status", "进度", .select(Workflow.action.statuses.map { .init($0.name, $0.label) }), initial: action.status),
                        .init("note", "新的一条进展", .textarea()),
                    ], back: "/topics/\(referenceOf(action.topic ?? ""))")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            guard let action = try loop.action(reference) else { throw DeskError("找不到落实事项 \(reference)。") }
            // Only what changed becomes an edit: saving the form unchanged writes nothing.
            func changed(_ name: String, _ current: String?) -> String? { fields[name].flatMap { $0 == current ? nil : $0 } }
            let elements = ActionElements(
                owner: changed("owner", action.elements.owner), standard: changed("standard", action.elements.standard),
                deadline: changed("deadline", action.elements.deadline), supervisor: changed("supervisor", action.elements.supervisor))
            let status = changed("status", action.status)
            let note = fields["note"]
            if elements.owner == nil, elements.standard == nil, elements.deadline == nil, elements.supervisor == nil, status == nil, note == nil {
                return desk.redirect("/topics/\(referenceOf(action.topic ?? ""))", flash: "没有改动。")
            }
            try loop.updateAction(reference, elements: elements, status: status, note: note, by: session.name)
            return desk.redirect("/topics/\(referenceOf(action.topic ?? ""))", flash: "落实事项 \(reference) 已更新。")
        }
        formRoutes(router, "topics/:ref/escalate", .loop, "上报", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "上报街道或区（社区吹哨）",
                    intro: ["社区解决不了的事项上报街道或区，写明承办部门和办理时限；部门报到、答复后在议题页面记录。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)")],
                    action: "/topics/\(topic.reference)/escalate", submit: "上报",
                    inputs: [
                        .init("level", "上报到", .radio(Vocabulary.escalationLevels.map { .init($0) }), required: true),
                        .init("department", "承办部门", hint: "如 城管科、民政局。", required: true),
                        .init("reason", "上报原因", .textarea(), required: true),
                        .init("deadline", "办理时限", .text(example: "2026-12-31")),
                    ], back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            let level = try Typed.required(fields, "level", "上报层级")
            let department = try Typed.required(fields, "department", "承办部门")
            let escalation = referenceOf(try loop.escalate(
                reference, level: level, department: department, reason: try Typed.required(fields, "reason", "上报原因"),
                deadline: try Typed.date(fields, "deadline", "办理时限"), by: session.name))
            return desk.redirect("/topics/\(reference)", flash: "已上报\(level)\(department)，上报件编号 \(escalation)。")
        }
        addEvaluationRoutes(router)
    }

    /// 群众评事 at the desk: residents' ratings and the end of a round.
    func addEvaluationRoutes(_ router: Router<Context>) {
        formRoutes(router, "topics/:ref/evaluate", .loop, "记录评价", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "居民代表评价",
                    intro: ["居民代表验收并评价落实结果：满意和基本满意算满意。满意率低于 \(loop.rules.satisfactionPercent)% 的进入整改、再次验收。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)"), ("评议轮次", "第 \(max(1, topic.evaluationRound)) 轮")],
                    action: "/topics/\(topic.reference)/evaluate", submit: "记录评价",
                    inputs: [
                        .init("evaluator", "评价人", required: true),
                        .init("rating", "评价", .radio(Vocabulary.ratings.map { .init($0) }), required: true),
                        .init("comment", "意见", .textarea()),
                    ], back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            let evaluator = try Typed.required(fields, "evaluator", "评价人")
            let rating = try Typed.required(fields, "rating", "评价")
            try loop.evaluate(reference, evaluator: evaluator, rating: rating, comment: fields["comment"], by: session.name)
            return desk.redirect("/topics/\(reference)", flash: "已记录 \(evaluator) 的评价：\(rating)。")
        }
        formRoutes(router, "topics/:ref/rectify", .loop, "记录整改", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "记录整改",
                    intro: ["满意率没有达标，先整改，整改完成后再请居民代表再次验收。整改也要写明四要素。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)"), ("整改的是", "第 \(max(1, topic.evaluationRound - 1)) 轮评议")],
                    action: "/topics/\(topic.reference)/rectify", submit: "记录整改",
                    inputs: [
                        .init("owner", "谁来干", required: true),
                        .init("standard", "干到什么标准", required: true),
                        .init("deadline", "什么时间干完", .text(example: "2026-12-31"), required: true),
                        .init("supervisor", "谁来监督", required: true),
                    ], back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            let elements = ActionElements(owner: fields["owner"], standard: fields["standard"], deadline: fields["deadline"],
                                          supervisor: fields["supervisor"])
            let action = referenceOf(try loop.recordRectification(reference, elements: elements, by: session.name))
            return desk.redirect("/topics/\(reference)", flash: "已记录整改 \(action)。整改完成后请把它的进度改为“已完成”，再进行再次验收。")
        }
        formRoutes(router, "topics/:ref/evaluation/close", .loop, "结束评议", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                let round = max(1, topic.evaluationRound)
                let ratings = try loop.evaluations(of: topic).first { $0.round == round }?.ratings ?? [:]
                let assessment = SatisfactionAssessment(ratings: Array(ratings.values), percent: loop.rules.satisfactionPercent)
                return FormSpec(
                    heading: "结束第 \(round) 轮评议",
                    intro: ["目前：\(assessment.summary)。", "达标则议题办结；不达标则进入整改，整改后再次验收。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)")],
                    action: "/topics/\(topic.reference)/evaluation/close", submit: "结束本轮评议", inputs: [],
                    back: "/topics/\(topic.reference)")
            }
        } submit: { _, loop, session, context in
            let reference = Self.reference(context)!
            switch try loop.closeEvaluation(reference, by: session.name) {
            case .accepted(let assessment):
                return desk.redirect("/topics/\(reference)", flash: "通过验收，议题已办结。\(assessment.summary)。")
            case .rectification(let assessment, let next):
                return desk.redirect("/topics/\(reference)", flash: "满意率未达标，进入整改；整改后进行第 \(next) 轮评议（再次验收）。\(assessment.summary)。")
            }
        }
    }
}
