import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel

/// The seeds' procedures around a topic at the desk: the 两委联席会议 that confirms topics,
/// the street's opinion, the residents' assembly's decision, marking a major matter and
/// taking a dispute to mediation. Each form is the YishiDeliberation operation the
/// command line calls.
extension StationDesk {
    func addProcedureRoutes(_ router: Router<Context>) {
        formRoutes(router, "joint/new", .loop, "记录两委联席会议", current: "/meetings") { _, _, loop in
            try Self.jointForm(loop)
        } submit: { fields, loop, session, _ in
            let candidates = try Self.awaitingConfirmation(loop)
            var decisions: [JointDecision] = []
            for topic in candidates {
                switch fields["d.\(topic.reference)"] {
                case "确定": decisions.append(JointDecision(topic: topic.id, confirm: true, publicService: fields["p.\(topic.reference)"] != nil))
                case "暂不列入":
                    decisions.append(JointDecision(topic: topic.id, confirm: false, reason: fields.raw("r.\(topic.reference)") ?? "",
                                                   publicService: fields["p.\(topic.reference)"] != nil))
                default: break
                }
            }
            guard let date = try Typed.date(fields, "date", "会议日期") else { throw DeskError("请填写会议日期。", field: "date") }
            let id = try loop.holdJointMeeting(date: date, participants: Typed.lines(fields, "participants"), decisions: decisions,
                                               by: session.name)
            return desk.redirect("/meetings", flash: "已记录两委联席会议 \(referenceOf(id))：确定 \(decisions.filter(\.confirm).count) 个议题，"
                                 + "暂不列入 \(decisions.filter { !$0.confirm }.count) 个。")
        }
        formRoutes(router, "topics/:ref/ask-street", .loop, "征求街道意见", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "征求街道意见：\(topic.title)",
                    intro: ["议题涉及政府公共服务的，议事厅协商前须先征求街道意见。征询在下次同步时送到街道工作台；街道的答复同步回来之前，这个议题不能安排协商会议。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)")],
                    action: "/topics/\(topic.reference)/ask-street", submit: "提交征询",
                    inputs: [.init("question", "征询的内容", .textarea(), hint: "涉及哪项公共服务，想请街道就什么表态。", required: true)],
                    back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            let id = try loop.askStreet(reference, question: fields.raw("question") ?? "", by: session.name)
            return desk.redirect("/topics/\(reference)", flash: "已向街道征求意见（\(referenceOf(id))），下次同步时送到街道。")
        }
        formRoutes(router, "topics/:ref/assembly", .loop, "记录居民会议", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "居民会议的决定：\(topic.title)",
                    intro: ["城市居民委员会组织法第十条：居民会议须有超过 \(loop.rules.assemblyQuorumPercent)% 的应到人员出席才能举行，"
                            + "决定须经超过 \(loop.rules.assemblyMajorityPercent)% 的出席人员同意。不足法定人数的会议也要记录，议题等下一次会议。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)")],
                    action: "/topics/\(topic.reference)/assembly", submit: "记录",
                    inputs: [
                        .init("date", "会议日期", .text(example: loop.today.description), required: true, initial: loop.today.description),
                        .init("convenedAs", "参加范围", .radio(Vocabulary.assemblyBases.map { .init($0) }), required: true),
                        .init("entitled", "应到人数", .number, hint: "全体成年居民、户数或居民小组代表数。", required: true),
                        .init("attended", "实到人数", .number, required: true),
                        .init("inFavour", "赞成", .number, required: true),
                        .init("against", "反对", .number, initial: "0"),
                        .init("abstained", "弃权", .number, initial: "0"),
                    ], back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            guard let date = try Typed.date(fields, "date", "会议日期") else { throw DeskError("请填写会议日期。", field: "date") }
            let draft = AssemblyDraft(
                date: date, convenedAs: try Typed.required(fields, "convenedAs", "参加范围"),
                entitled: try Typed.count(fields, "entitled", "应到人数"), attended: try Typed.count(fields, "attended", "实到人数"),
                inFavour: try Typed.count(fields, "inFavour", "赞成票"), against: fields["against"] == nil ? 0 : try Typed.count(fields, "against", "反对票"),
                abstained: fields["abstained"] == nil ? 0 : try Typed.count(fields, "abstained", "弃权票"))
            let (id, vote) = try loop.recordAssembly(reference, draft, by: session.name)
            let next = switch vote.outcome {
            case .noQuorum: "出席不足，不能作出决定；议题仍待居民会议决定。"
            case .passed: "居民会议通过，可以添加落实事项。"
            case .rejected: "居民会议否决，议题已结束。"
            }
            return desk.redirect("/topics/\(reference)", flash: "已记录居民会议 \(referenceOf(id))：\(vote.summary)。\(next)")
        }
        formRoutes(router, "topics/:ref/major", .loop, "列为重大事项", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "列为重大事项：\(topic.title)",
                    intro: ["社区重大事项实行“五议一备两公开”：党组织提议、班子商议、单位联议、会议审议、集体决议，依次进行；"
                            + "决议报街道党工委备案；决议和实施结果分别向全体居民公开。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)")],
                    action: "/topics/\(topic.reference)/major", submit: "列为重大事项", inputs: [], back: "/topics/\(topic.reference)")
            }
        } submit: { _, loop, session, context in
            let reference = Self.reference(context)!
            let id = try loop.startMajor(reference, by: session.name)
            return desk.redirect("/majors/\(referenceOf(id))", flash: "已列为重大事项 \(referenceOf(id))。请依次记录五议。")
        }
        formRoutes(router, "topics/:ref/mediate", .loop, "开始调解", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "调解纠纷：\(topic.title)",
                    intro: ["创新解事：纠纷可以调解，不经议事厅协商。请写明调解人，和参与调解的律师、法官、人民调解员等。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)")],
                    action: "/topics/\(topic.reference)/mediate", submit: "开始调解",
                    inputs: [
                        .init("mediator", "调解人", required: true),
                        .init("participants", "参与调解的人", .textarea(), hint: "每行一位，写成 角色：姓名，如 律师：王律师。"),
                    ], back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            let id = try loop.startMediation(reference, mediator: try Typed.required(fields, "mediator", "调解人"),
                                             participants: Typed.lines(fields, "participants"), by: session.name)
            return desk.redirect("/mediations/\(referenceOf(id))", flash: "已开始调解 \(referenceOf(id))。")
        }
    }

    /// Topics a joint meeting may decide on, oldest first.
    static func awaitingConfirmation(_ loop: Deliberation) throws -> [Topic] {
        try loop.topics().filter { Deliberation.awaitingConfirmationStatuses.contains($0.status ?? "") }
            .sorted { $0.reference < $1.reference }
    }

    static func jointForm(_ loop: Deliberation) throws -> FormSpec {
        let candidates = try awaitingConfirmation(loop)
        var inputs: [FormSpec.Input] = [
            .init("date", "会议日期", .text(example: loop.today.description), required: true, initial: loop.today.description),
            .init("participants", "参加人员", .textarea(), hint: "社区党组织和居委会的参会人员，每行一位。", required: true),
        ]
        for topic in candidates {
            inputs.append(.init("d.\(topic.reference)", "\(topic.reference) \(topic.title)（\(Workflow.topic.label(of: topic.status ?? ""))）",
                                .radio([.init("", "本次不议"), .init("确定"), .init("暂不列入")]), initial: ""))
            inputs.append(.init("r.\(topic.reference)", "暂不列入的原因（\(topic.reference)）"))
            inputs.append(.init("p.\(topic.reference)", "\(topic.reference) 涉及政府公共服务，须先征求街道意见", .checkbox,
                                initial: topic.publicService ? "是" : nil))
        }
        return FormSpec(
            heading: "两委联席会议",
            intro: ["北京市社区议事厅规则第九条：议题须经社区党组织和居委会联席会议确定，才能提交议事厅协商。"
                    + (candidates.isEmpty ? "现在没有待确定的议题。" : "请对每个待确定的议题选择“确定”或“暂不列入”（写明原因）。"),
                    loop.rules.confirmBeforeMeeting ? "" : "本社区规则（rules.toml）不要求会前确定议题，但仍可记录联席会议。"].filter { !$0.isEmpty },
            action: "/joint/new", submit: "记录联席会议", inputs: inputs, back: "/meetings")
    }
}
