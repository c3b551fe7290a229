import Foundation
import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiMerge
import YishiModel

/// 公开议事 at the desk: scheduling with its notice, registration, consultation,
/// attendance, the vote sheet, closing a round, the minutes and their finalising.
extension StationDesk {
    func addMeetingRoutes(_ router: Router<Context>) {
        formRoutes(router, "meetings/new", .loop, "安排会议", current: "/meetings") { request, _, loop in
            let topic = request.uri.queryParameters["topic"].map(String.init) ?? ""
            let earliest = LocalDateTime(milliseconds: loop.now().milliseconds + Int64(loop.rules.noticeDays) * 86_400_000)
            return FormSpec(
                heading: "安排协商会议",
                intro: ["会议须提前 \(loop.rules.noticeDays) 天公示（北京市社区议事厅规则第十条）。现在安排，公示从现在开始，会议最早可安排在 \(earliest)。",
                        "确属紧急、来不及公示 \(loop.rules.noticeDays) 天的，请在“紧急原因”里写明，公示上会印出原因。公示期间居民可以报名列席。"],
                action: "/meetings/new" + (topic.isEmpty ? "" : "?" + FormFields.query([("topic", topic)])), submit: "安排并公示",
                inputs: [
                    .init("topics", "协商的议题编号", hint: "可写多个，用空格或顿号隔开。", required: true, initial: topic),
                    .init("form", "会议形式", .select([.init("", "（请选择）")] + Vocabulary.meetingForms.map { .init($0) }), required: true),
                    .init("time", "会议时间", .text(example: earliest.description), hint: "写成 2026-11-25 14:30。", required: true),
                    .init("place", "会议地点", required: true),
                    .init("host", "主持人", required: true),
                    .init("recorder", "记录人"),
                    .init("content", "主要内容"),
                    .init("participants", "参加人员", .textarea(), hint: "每行一位，写成 角色：姓名，如 物业：吴经理。"),
                    .init("urgent", "紧急原因", .textarea(), hint: "只有公示不足期限时才写。"),
                ], back: topic.isEmpty ? "/meetings" : "/topics/\(topic)")
        } submit: { fields, loop, session, _ in
            let topics = (fields["topics"] ?? "").split(whereSeparator: { $0 == " " || $0 == "、" || $0 == "," || $0 == "，" }).map(String.init)
            guard !topics.isEmpty else { throw DeskError("请写上协商的议题编号。", field: "topics") }
            let draft = MeetingDraft(
                form: try Typed.required(fields, "form", "会议形式"), time: try Typed.dateTime(fields, "time", "会议时间"),
                place: try Typed.required(fields, "place", "会议地点"), host: try Typed.required(fields, "host", "主持人"),
                recorder: fields["recorder"], content: fields["content"], topics: topics,
                participants: Typed.lines(fields, "participants"), urgentReason: fields["urgent"])
            let reference = referenceOf(try loop.schedule(draft, by: session.name))
            return desk.redirect("/meetings/\(reference)", flash: "已安排会议 \(reference)，公示已发布。请打印会议公示张贴。")
        }
        addMeetingPageRoutes(router)
        meetingForm(router, "register", "登记报名") { meeting, _ in
            FormSpec(heading: "登记报名列席", intro: ["公示期间，与议题有关的居民和单位可以报名列席，社区登记并邀请参会。"],
                     facts: [("会议", "\(meeting.reference) \(meeting.form ?? "") \(meeting.time?.description ?? "")")],
                     action: "", submit: "登记", inputs: [.init("name", "报名人", hint: "如 3号楼 刘阿姨。", required: true)], back: "")
        } submit: { fields, loop, session, meeting in
            let name = try Typed.required(fields, "name", "报名人")
            try loop.register(meeting.reference, name: name, by: session.name)
            return "已登记“\(name)”报名列席。"
        }
        meetingForm(router, "consult", "记录入户征求意见") { meeting, _ in
            FormSpec(heading: "入户征求意见", intro: ["会前入户征求意见的结果会印在会议公示上，供委员会参考；决定仍以委员会表决为准。"],
                     facts: [("会议", "\(meeting.reference) \(meeting.form ?? "")")], action: "", submit: "保存",
                     inputs: [.init("households", "征求意见户数", .number, required: true, initial: meeting.consultation.map { String($0.consulted) }),
                              .init("agree", "同意户数", .number, required: true, initial: meeting.consultation.map { String($0.agreed) })],
                     back: "")
        } submit: { fields, loop, session, meeting in
            let households = try Typed.count(fields, "households", "征求意见户数")
            let agree = try Typed.count(fields, "agree", "同意户数")
            try loop.recordConsultation(meeting.reference, consulted: households, agreed: agree, by: session.name)
            return "已记录：\(HouseholdConsultation(consulted: households, agreed: agree).summary)。"
        }
        meetingForm(router, "attend", "记录到会人员") { meeting, _ in
            FormSpec(heading: "记录实到人员", facts: [("会议", "\(meeting.reference) \(meeting.form ?? "")")], action: "", submit: "保存",
                     inputs: [.init("names", "到会人员", .textarea(), hint: "每行一位。", required: true)], back: "")
        } submit: { fields, loop, session, meeting in
            let names = Typed.lines(fields, "names")
            guard !names.isEmpty else { throw DeskError("请写上到会人员，每行一位。", field: "names") }
            try loop.recordAttendance(meeting.reference, names: names, by: session.name)
            return "已记录 \(names.count) 人到会。"
        }
        meetingForm(router, "vote", "记录表决") { meeting, request in
            try voteForm(meeting, request)
        } submit: { fields, loop, session, meeting in
            let topic = try Typed.required(fields, "topic", "议题")
            let ballots = fields.withPrefix("ballot.").filter { !$0.value.isEmpty }.map { (member: $0.key, choice: $0.value) }
            guard !ballots.isEmpty else { throw DeskError("请至少为一位委员选择同意、不同意或弃权。") }
            try loop.vote(meeting.reference, topic: topic, ballots: ballots, by: session.name)
            return "已记录 \(ballots.count) 位委员对 \(topic) 的表决。"
        }
        meetingForm(router, "close", "结束本轮协商") { meeting, request in
            let loop = try loop()
            let reference = request.uri.queryParameters["topic"].map(String.init) ?? ""
            guard let topic = try loop.topic(reference) else { return nil }
            let members = Set(try loop.committee(on: (meeting.time ?? loop.now()).date).map(\.id))
            let tally = ConsensusTally(ballots: meeting.ballots(onTopic: topic.id), members: members,
                                       percent: meeting.consensusPercent(onTopic: topic.id) ?? loop.rules.consensusPercent)
            return FormSpec(
                heading: "结束本轮协商：\(topic.title)",
                intro: ["按全体在任委员计算：\(tally.summary)。",
                        "达到 \(loop.rules.consensusPercent)% 即达成共识；未达到的转入下一轮协商，也可以暂时搁置（待时机成熟时再议），属于居民会议决定的事项提交居民会议。"],
                facts: [("会议", "\(meeting.reference)"), ("议题", "\(topic.reference) \(topic.title)")],
                action: "", submit: "结束本轮",
                inputs: [.init("topic", "", .hidden, initial: topic.reference),
                         .init("outcome", "本轮结果", .radio([.init("vote", "按表决结果"), .init("shelve", "未达成共识，暂时搁置"),
                                                           .init("assembly", "提交居民会议")]), required: true, initial: "vote")],
                back: "")
        } submit: { fields, loop, session, meeting in
            let topic = try Typed.required(fields, "topic", "议题")
            let outcome = try loop.closeRound(meeting.reference, topic: topic, shelve: fields["outcome"] == "shelve",
                                              toAssembly: fields["outcome"] == "assembly", by: session.name)
            switch outcome {
            case .consensus(let tally): return "议题 \(topic) 达成共识。\(tally.summary)。"
            case .anotherRound(let tally): return "议题 \(topic) 未达成共识，请安排下一轮协商。\(tally.summary)。"
            case .shelved: return "议题 \(topic) 已暂时搁置。"
            case .toAssembly: return "议题 \(topic) 已提交居民会议。"
            }
        }
        meetingForm(router, "minutes", "写会议纪要") { meeting, _ in
            let base = try loop().textBase(record: meeting.id, field: "minutes")
            return FormSpec(
                heading: "会议纪要",
                intro: ["纪要写明会议时间、地点、主持、记录、参加人员、会议主题和会议内容。每项落实事项要写明谁来干、干到什么标准、什么时间干完、谁来监督（在议题页面添加落实事项）。",
                        "保存时只记下改动过的句子：其他站点同时改的别的句子都会保留，改了同一句则两边都保留并提示冲突。"],
                facts: [("会议", "\(meeting.reference) \(meeting.form ?? "") \(meeting.time?.description ?? "")")],
                action: "", submit: "保存纪要",
                inputs: [.init("minutes", "纪要全文", .textarea(long: true), initial: meeting.minutes.isEmpty ? Self.minutesSkeleton(meeting) : base.text),
                         .init("base", "", .hidden, initial: base.encoded)],
                back: "")
        } submit: { fields, loop, session, meeting in
            try loop.writeMinutes(meeting.reference, text: fields.raw("minutes") ?? "", base: try Typed.base(fields), by: session.name)
            return "纪要已保存。"
        }
        meetingForm(router, "finalise", "纪要定稿") { meeting, _ in
            let loop = try loop()
            let actions = try loop.actions().filter { $0.meeting == meeting.id || ($0.meeting == nil && meeting.topics.contains($0.topic ?? "")) }
            let lacking = actions.filter { !$0.elements.missing.isEmpty }
                .map { "\($0.reference) 缺少：\($0.elements.missing.joined(separator: "、"))" }
            return FormSpec(
                heading: "纪要定稿",
                intro: ["定稿后纪要不能再改。每项落实事项须写明谁来干、干到什么标准、什么时间干完、谁来监督。"]
                    + (lacking.isEmpty ? ["\(actions.count) 项落实事项都已写全。"] : ["尚未写全：" + lacking.joined(separator: "；") + "。"]),
                facts: [("会议", "\(meeting.reference) \(meeting.form ?? "")")], action: "", submit: "定稿", inputs: [], back: "")
        } submit: { _, loop, session, meeting in
            try loop.finaliseMinutes(meeting.reference, by: session.name)
            return "纪要已定稿。"
        }
    }

    /// A form about one meeting at `meetings/:ref/<name>`; the submit returns the flash
    /// message, and the person goes back to the meeting page.
    func meetingForm(_ router: Router<Context>, _ name: String, _ what: String,
                     spec: @escaping @Sendable (Meeting, Request) throws -> FormSpec?,
                     submit: @escaping @Sendable (FormFields, Deliberation, DeskSession, Meeting) throws -> String) {
        formRoutes(router, RouterPath("meetings/:ref/\(name)"), .loop, what, current: "/meetings") { request, context, loop in
            guard let reference = Self.reference(context), let meeting = try loop.meeting(reference),
                  var form = try spec(meeting, request) else { return nil }
            let query = request.uri.query.map { "?" + $0 } ?? ""
            form.action = "/meetings/\(meeting.reference)/\(name)\(query)"
            form.back = "/meetings/\(meeting.reference)"
            return form
        } submit: { fields, loop, session, context in
            guard let meeting = try Self.reference(context).flatMap({ try loop.meeting($0) }) else {
                throw DeskError("找不到这个会议。")
            }
            return desk.redirect("/meetings/\(meeting.reference)", flash: try submit(fields, loop, session, meeting))
        }
    }

    /// The vote sheet for one topic: one row of choices per member in office on the day.
    func voteForm(_ meeting: Meeting, _ request: Request) throws -> FormSpec? {
        let loop = try loop()
        let reference = request.uri.queryParameters["topic"].map(String.init) ?? ""
        guard let topic = try loop.topic(reference) else { return nil }
        let members = try loop.committee(on: (meeting.time ?? loop.now()).date)
        let ballots = meeting.ballots(onTopic: topic.id)
        return FormSpec(
            heading: "表决：\(topic.title)",
            intro: members.isEmpty ? ["还没有在任委员，请先在“委员会”页面登记委员。"]
                : ["逐位记录在任委员的意见；没有表决的不选。须全体在任委员的 \(loop.rules.consensusPercent)% 同意才算达成共识。"],
            facts: [("会议", meeting.reference), ("议题", "\(topic.reference) \(topic.title)")], action: "", submit: "保存表决",
            inputs: [.init("topic", "", .hidden, initial: topic.reference)] + members.map { member in
                .init("ballot.\(member.id)", "\(member.name)（\(member.category ?? "委员")）",
                      .radio(Vocabulary.ballotChoices.map { .init($0) }), initial: ballots[member.id])
            }, back: "")
    }

    /// The headings seed 004's minutes use, filled from the meeting, for a first draft.
    static func minutesSkeleton(_ meeting: Meeting) -> String {
        """
        会议时间：\(meeting.time?.chinese ?? "")
        会议地点：\(meeting.place ?? "")
        会议主持：\(meeting.host ?? "")
        会议记录：\(meeting.recorder ?? "")
        参加人员：\(meeting.participants.joined(separator: "、"))
        会议主题：\(meeting.content ?? "")
        会议内容：

        """
    }
}
