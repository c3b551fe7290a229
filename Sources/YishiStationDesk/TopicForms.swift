import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel

/// 居民说事 and 下沉听事 at the desk: raising, classifying, revising, marking an idea.
extension StationDesk {
    func addTopicRoutes(_ router: Router<Context>) {
        formRoutes(router, "topics/new", .intake, "登记议题", current: "/topics") { _, _, loop in
            Self.raiseForm(loop)
        } submit: { fields, loop, session, _ in
            let draft = TopicDraft(
                title: try Typed.required(fields, "title", "标题"), description: fields.raw("description") ?? "",
                channel: try Typed.required(fields, "channel", "渠道"),
                proposer: Proposer(name: fields["proposerName"], address: fields["address"], phone: fields["phone"],
                                   anonymous: fields["anonymous"] != nil),
                category: fields["category"], raisedOn: try Typed.date(fields, "date", "登记日期"))
            let reference = referenceOf(try loop.raise(draft, by: session.name))
            return desk.redirect("/topics/\(reference)", flash: "已登记议题 \(reference)：\(draft.title)")
        }
        addTopicPageRoutes(router)
        formRoutes(router, "topics/:ref/classify", .intake, "给议题分类", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "分类：\(topic.title)",
                    intro: ["下沉听事：即办件由社区马上办；待办件需要协商议事；上报件是社区解决不了、要报街道或区的。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)")],
                    action: "/topics/\(topic.reference)/classify", submit: "保存分类",
                    inputs: [
                        .init("handling", "办理类别", .radio(Vocabulary.handlingClasses.map { .init($0, $0 + "件") }), required: true,
                              initial: topic.handling),
                        .init("category", "类别（十类之一）", .select([.init("", "（暂不选）")] + Vocabulary.categories.map { .init($0) }),
                              initial: topic.category),
                        .init("publicService", "涉及政府公共服务（安排协商会议前须先征求街道意见）", .checkbox,
                              initial: topic.publicService ? "是" : nil),
                        .init("dispute", "是纠纷（“邻里及家庭纠纷”以外的类别也可标为纠纷，纠纷可以调解）", .checkbox,
                              initial: topic.dispute ? "是" : nil),
                    ], back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            let handling = try Typed.required(fields, "handling", "办理类别")
            try loop.classify(reference, handling: handling, category: fields["category"], publicService: fields["publicService"] != nil,
                              dispute: fields["dispute"] != nil, by: session.name)
            return desk.redirect("/topics/\(reference)", flash: "已分类为“\(handling)件”。")
        }
        formRoutes(router, "topics/:ref/edit", .intake, "修改议题", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                let base = try loop.textBase(record: topic.id, field: "description")
                return FormSpec(
                    heading: "修改议题 \(topic.reference)",
                    intro: ["只有改动过的句子会记为修改；其他站点同时改的别的句子都会保留，改了同一句则两边都保留并提示冲突。"],
                    action: "/topics/\(topic.reference)/edit", submit: "保存修改",
                    inputs: [
                        .init("title", "标题", required: true, initial: topic.title),
                        .init("description", "具体内容", .textarea(long: true), initial: base.text),
                        .init("base", "", .hidden, initial: base.encoded),
                    ], back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            try loop.revise(reference, title: try Typed.required(fields, "title", "标题"), description: fields.raw("description") ?? "",
                            base: try Typed.base(fields), by: session.name)
            return desk.redirect("/topics/\(reference)", flash: "议题已修改。")
        }
        formRoutes(router, "topics/:ref/reopen", .loop, "重新协商", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "重新协商：\(topic.title)",
                    intro: ["搁置的议题待时机成熟时再议（北京市社区议事厅规则第十一条）。重新协商会记入修改记录，之后照常安排下一轮会议。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)")],
                    action: "/topics/\(topic.reference)/reopen", submit: "重新协商",
                    inputs: [.init("reason", "原因", .textarea(), hint: "时机为什么成熟了，如“业委会已换届”。", required: true)],
                    back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            try loop.reopen(reference, reason: fields.raw("reason") ?? "", by: session.name)
            return desk.redirect("/topics/\(reference)", flash: "已重新启动协商，可以安排下一轮会议。")
        }
        formRoutes(router, "topics/:ref/invalid", .loop, "标为无效", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "标为无效：\(topic.title)",
                    intro: ["网上或其他渠道来的内容不是居民反映的事项（广告、重复反映、与社区事务无关）时，标为无效。"
                            + "记录保留，但不再出现在公示栏和统计里。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)"), ("渠道", topic.channel ?? "")],
                    action: "/topics/\(topic.reference)/invalid", submit: "标为无效",
                    inputs: [.init("reason", "原因", hint: "如 广告、与 HL3-01-2026-0003 重复、与社区事务无关。", required: true)],
                    back: "/topics/\(topic.reference)", danger: true)
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            try loop.markInvalid(reference, reason: fields.raw("reason") ?? "", by: session.name)
            return desk.redirect("/topics/\(reference)", flash: "已标为无效。")
        }
        formRoutes(router, "topics/:ref/idea", .loop, "评定金点子", current: "/topics") { _, context, loop in
            try Self.reference(context).flatMap { try loop.topic($0) }.map { topic in
                FormSpec(
                    heading: "评定居民的建议",
                    intro: ["评为金点子或好法子的建议，提议人记 \(loop.rules.pointsPerIdea) 分（积分制）。"],
                    facts: [("议题", "\(topic.reference) \(topic.title)"), ("提议人", topic.publicProposerName)],
                    action: "/topics/\(topic.reference)/idea", submit: "评定",
                    inputs: [.init("mark", "评定为", .radio(Vocabulary.ideaMarks.map { .init($0) }), required: true)],
                    back: "/topics/\(topic.reference)")
            }
        } submit: { fields, loop, session, context in
            let reference = Self.reference(context)!
            let mark = try Typed.required(fields, "mark", "评定")
            try loop.markIdea(reference, as: mark, by: session.name)
            return desk.redirect("/topics/\(reference)", flash: "已评为\(mark)。")
        }
    }

    static func raiseForm(_ loop: Deliberation) -> FormSpec {
        FormSpec(
            heading: "登记居民反映的事项",
            intro: ["居民说事：记下是谁、通过什么渠道、反映了什么。提议人的电话只留在本站，不会出现在任何公示上。"],
            action: "/topics/new", submit: "登记",
            inputs: [
                .init("title", "标题", hint: "一句话说明是什么事，如“北门垃圾分类设施选址”。", required: true),
                .init("channel", "渠道", .select([.init("", "（请选择）")] + Vocabulary.channels.map { .init($0) }), required: true),
                .init("description", "具体内容", .textarea()),
                .init("proposerName", "提议人姓名"),
                .init("address", "提议人住址", hint: "楼栋单元，如 3号楼2单元。"),
                .init("phone", "提议人电话", hint: "手机 11 位，座机如 0451-86123456。不上公示。"),
                .init("anonymous", "提议人要求匿名（公示上显示为“匿名居民”）", .checkbox),
                .init("category", "类别", .select([.init("", "（暂不分类）")] + Vocabulary.categories.map { .init($0) })),
                .init("date", "登记日期", .text(example: loop.today.description), hint: "不填则为今天。"),
            ], back: "/topics")
    }
}
