import YishiModel

extension Deliberation {
    /// The public notice of a meeting (001 art. 10): time, place, host, main content and
    /// participants, posted at least the notice period ahead, inviting stakeholders to
    /// register.
    public func meetingNotice(_ reference: String, communityName: String) throws -> NoticeDocument {
        let meeting = try requireMeeting(reference)
        let topics = try meeting.topics.compactMap { try topic($0) }
        let hidden = try anonymousNames()
        func clean(_ text: String?) -> String? { text.map { Redaction.redact($0, names: hidden) } }

        var notice = NoticeDocument(
            title: "协商会议公示",
            subtitle: "\(communityName) · 编号 \(meeting.reference) · 公示时间 \(meeting.noticePostedAt?.chinese ?? "—")",
            footer: "\(communityName)\n\(meeting.noticePostedAt?.date.chinese ?? today.chinese)")
        notice.paragraph("根据社区议事协商有关规定，现将协商会议有关事项公示如下：")
        notice.fields([
            ("会议形式", meeting.form), ("会议时间", meeting.time?.chinese), ("会议地点", clean(meeting.place)),
            ("主持人", clean(meeting.host)), ("主要内容", clean(meeting.content)),
        ])
        if let reason = meeting.urgentReason {
            notice.heading("紧急情况说明")
            notice.paragraph("本次会议公示不足 \(rules.noticeDays) 天，原因：\(clean(reason)!)")
        }
        notice.heading("协商议题")
        notice.table(["编号", "议题", "类别", "协商轮次"], topics.map {
            [$0.reference, clean($0.title)!, $0.category ?? "—", "第 \(meeting.round(for: $0.id)) 轮"]
        })
        for topic in topics where !topic.description.isEmpty {
            notice.paragraph("\(topic.reference)：\(clean(topic.description)!)")
        }
        if let consultation = meeting.consultation {
            notice.paragraph("会前已入户征求意见：\(consultation.summary)。")
        }
        notice.heading("参加人员")
        if meeting.participants.isEmpty {
            // Seed 000: the committee meets and "根据议题需要可邀请有关人员列席会议".
            notice.paragraph("社区协商委员会全体委员；根据议题需要，邀请有关人员列席会议。")
        } else {
            notice.list(meeting.participants.map { clean($0)! })
        }
        notice.heading("报名列席")
        let deadline = meeting.time.map { "会议开始（\($0.chinese)）前" } ?? "会议开始前"
        notice.paragraph("公示期间，与议题有关的居民和单位可于\(deadline)到社区居委会或说事点报名参加协商，社区将登记并邀请参会。")
        if !meeting.registrations.isEmpty {
            notice.paragraph("已报名：\(meeting.registrations.map { clean($0)! }.joined(separator: "、"))")
        }
        return notice
    }

    /// The public notice of a topic's result (群众评事): what was done, on what basis, to
    /// what standard, with what result, and how residents rated it.
    public func resultNotice(_ reference: String, communityName: String) throws -> NoticeDocument {
        let topic = try requireTopic(reference)
        let hidden = try anonymousNames()
        func clean(_ text: String?) -> String? { text.map { Redaction.redact($0, names: hidden) } }
        let meetings = try topic.meetings.compactMap { try meeting($0) }.sorted { $0.round(for: topic.id) < $1.round(for: topic.id) }
        let actions = try topic.actions.compactMap { try action($0) }
        let escalations = try topic.escalations.compactMap { try escalation($0) }
        let evaluations = try evaluations(of: topic)

        var notice = NoticeDocument(
            title: "议事结果公示",
            subtitle: "\(communityName) · 议题 \(topic.reference) · 状态：\(topic.statusText)",
            footer: "\(communityName)\n\(today.chinese)")
        notice.fields([
            ("议题", clean(topic.title)), ("提议人", topic.publicProposerName), ("反映渠道", topic.channel),
            ("登记日期", topic.raisedOn?.chinese), ("类别", topic.category), ("办理类别", topic.handling),
            ("办结日期", topic.closedOn?.chinese),
        ])
        if !topic.description.isEmpty {
            notice.heading("反映的问题")
            notice.paragraph(clean(topic.description)!)
        }
        var before: [String] = []
        if let id = topic.jointMeeting, let joint = try jointMeeting(id), joint.decisions[topic.id] == JointMeeting.confirmed {
            before.append("\(joint.date?.chinese ?? "") 经社区党组织和居委会联席会议确定为议题。")
        }
        for id in topic.opinions {
            guard let opinion = try opinion(id), let answer = opinion.answer else { continue }
            before.append("\(opinion.answeredOn?.chinese ?? "") 街道意见：\(clean(answer)!)")
        }
        if !before.isEmpty {
            notice.heading("议题确定")
            notice.list(before)
        }
        if !meetings.isEmpty {
            notice.heading("协商过程")
            notice.table(["轮次", "会议", "时间", "结果"], meetings.map { meeting in
                ["第 \(meeting.round(for: topic.id)) 轮", "\(meeting.form ?? "协商会议")（\(meeting.reference)）", meeting.time?.chinese ?? "—",
                 clean(meeting.outcome(for: topic.id)) ?? "—"]
            })
        }
        let assemblies = try topic.assemblies.compactMap { try assembly($0) }.sorted { ($0.date?.description ?? "") < ($1.date?.description ?? "") }
        if !assemblies.isEmpty {
            notice.heading("居民会议")
            notice.table(["日期", "参加范围", "表决", "结果"], assemblies.map { assembly in
                [assembly.date?.chinese ?? "—", assembly.convenedAs ?? "—",
                 assembly.vote.map { "应到 \($0.entitled)、实到 \($0.attended)；赞成 \($0.inFavour)、反对 \($0.against)、弃权 \($0.abstained)" } ?? "—",
                 assembly.vote?.outcome.rawValue ?? "—"]
            })
        }
        // A dispute's result: the outcome, not the households' agreement, which is theirs.
        let mediations = try topic.mediations.compactMap { try mediation($0) }.filter { $0.outcome != nil }
        if !mediations.isEmpty {
            notice.heading("调解")
            notice.list(mediations.map { mediation in
                "\(mediation.outcomeOn?.chinese ?? "")：" + (mediation.isResolved ? "经调解，纠纷已化解。"
                    : mediation.outcome == "转交" ? "已转交\(clean(mediation.transferredTo) ?? "")处理。" : "调解未成。")
            })
        }
        if !actions.isEmpty {
            notice.heading("落实情况")
            notice.table(["事项", "谁来干", "干到什么标准", "什么时间干完", "谁来监督", "进度"], actions.map { action in
                [action.reference, clean(action.elements.owner) ?? "—", clean(action.elements.standard) ?? "—",
                 action.elements.deadline ?? "—", clean(action.elements.supervisor) ?? "—",
                 Workflow.action.label(of: action.status ?? "") + (Deadline.isOverdue(action.deadline, done: action.isDone, today: today) ? "（已超期）" : "")]
            })
        }
        if !escalations.isEmpty {
            notice.heading("上报办理")
            notice.list(escalations.map { escalation in
                "\(escalation.addressee)：\(clean(escalation.reason) ?? "")；"
                    + (escalation.response.map { "已于 \(escalation.reportedOn?.chinese ?? "") 报到，答复：\(clean($0)!)" } ?? "待部门报到")
            })
        }
        if !evaluations.isEmpty {
            notice.heading("居民评议")
            notice.table(["轮次", "满意", "基本满意", "不满意", "满意率", "结论"], evaluations.map { evaluation in
                let assessment = SatisfactionAssessment(ratings: Array(evaluation.ratings.values), percent: evaluation.judgedPercent ?? rules.satisfactionPercent)
                return [evaluation.round == 1 ? "第 1 轮" : "第 \(evaluation.round) 轮（再次验收）", String(assessment.satisfied),
                        String(assessment.basic), String(assessment.unsatisfied), assessment.rateText,
                        evaluation.result == nil ? "评议中" : (assessment.passed ? "通过" : "整改")]
            })
        }
        notice.paragraph("对公示内容有意见的居民，可在公示期内向社区居委会反映。")
        return notice
    }

    /// 两公开 (002): a major matter's resolution, and later its implementation result, made
    /// public to all residents, with the five steps and the filing they went through.
    public func majorNotice(_ reference: String, resolution: Bool, communityName: String) throws -> NoticeDocument {
        let major = try requireMajor(reference)
        let topic = try major.topic.flatMap { try self.topic($0) }
        let hidden = try anonymousNames()
        func clean(_ text: String?) -> String? { text.map { Redaction.redact($0, names: hidden) } }
        let published = resolution ? major.resolutionPublishedOn : major.outcomePublishedOn
        // The notice tells only what had happened by its own date.
        let dated = published ?? today
        func byThen(_ date: LocalDate?) -> LocalDate? { date.flatMap { $0 <= dated ? $0 : nil } }
        var notice = NoticeDocument(
            title: resolution ? "重大事项决议公开" : "重大事项实施结果公开",
            subtitle: "\(communityName) · 编号 \(major.reference)" + (published.map { " · 公开日期 \($0.chinese)" } ?? " · 尚未公开（草稿）"),
            footer: "中共\(communityName)委员会　\(communityName)居民委员会\n\(dated.chinese)")
        notice.paragraph("根据“五议一备两公开”工作要求，现将社区重大事项\(resolution ? "决议" : "实施结果")公开如下：")
        notice.fields([("事项", clean(topic?.title)), ("议题编号", topic?.reference), ("类别", topic?.category)])
        notice.heading("五议经过")
        notice.table(["步骤", "日期", "参加人员", "内容"], MajorMatter.steps.compactMap { step in
            byThen(major.stepDates[step]).map { [step, $0.chinese, clean(major.stepPeople[step]) ?? "—", clean(major.stepNotes[step]) ?? "—"] }
        })
        notice.heading("一备")
        notice.paragraph(byThen(major.filedOn).map { "决议已于 \($0.chinese) 报街道党工委备案" + (byThen(major.acknowledgedOn).map { "，\($0.chinese) 经街道党工委签收。" } ?? "，街道党工委尚未签收。") }
            ?? "决议尚未备案。")
        notice.heading("决议")
        notice.paragraph(clean(major.resolution) ?? "")
        if !resolution {
            notice.heading("实施结果")
            notice.paragraph(clean(major.outcome) ?? "")
        }
        notice.paragraph("对公开内容有意见的居民，可在公开期内向社区党组织或居委会反映。")
        return notice
    }

    /// Names of proposers who asked to stay anonymous, or who raised their matter on the
    /// board (told only staff would see it): never printed anywhere.
    func anonymousNames() throws -> [String] {
        try topics().filter { $0.proposer.anonymous || $0.receipt != nil }.compactMap(\.proposer.name).filter { !$0.isEmpty }
    }
}
