import Hummingbird
import YishiDeliberation
import YishiDesk
import YishiLoopPages
import YishiModel

/// A topic's page at the station (the shared TopicView) with the buttons for the next
/// steps this worker's role may take, and its history.
extension StationDesk {
    /// A department's answer is the street's to record (at the office desk): the station
    /// shows it once it has synced, and has no form for it.
    static let topicPlace = TopicView.Place(topicBase: "/topics", stationLinks: true, respondBase: nil)

    /// The next steps of the loop for `topic`, as far as `role` may take them.
    func steps(_ topic: Topic, _ loop: Deliberation, role: StationRole) throws -> [TopicView.Step] {
        var steps: [TopicView.Step] = []
        let status = topic.status ?? ""
        let open = topic.isOpen
        let base = "/topics/\(topic.reference)"
        if role.may(.intake), open {
            steps.append(.init("\(base)/classify", topic.handling == nil ? "分类" : "重新分类"))
            steps.append(.init("\(base)/edit", "修改标题和内容"))
        }
        if role.may(.loop) {
            if open, Deliberation.awaitingConfirmationStatuses.contains(status) {
                steps.append(.init("/joint/new", "两委联席会议确定"))
            }
            if open, !["shelved", "evaluating", "rectifying", "implementing", "assembly", "mediating", "mediated"].contains(status) {
                steps.append(.init("/meetings/new?topic=\(topic.reference)", "安排协商会议"))
            }
            let rank = Workflow.topic.status(status)?.rank ?? 0
            if open, rank < 50, (try topic.opinions.compactMap { try loop.opinion($0) }.allSatisfy(\.isAnswered)) {
                steps.append(.init("\(base)/ask-street", "征求街道意见"))
            }
            if status == "assembly" { steps.append(.init("\(base)/assembly", "记录居民会议决定")) }
            if open, topic.major == nil { steps.append(.init("\(base)/major", "列为重大事项")) }
            if let major = topic.major { steps.append(.init("/majors/\(referenceOf(major))", "重大事项 \(referenceOf(major))")) }
            let mediations = try topic.mediations.compactMap { try loop.mediation($0) }
            if let current = mediations.first(where: { $0.outcome == nil }) {
                steps.append(.init("/mediations/\(current.reference)", "调解 \(current.reference)"))
            } else if open, topic.isDispute, status != "mediated" {
                steps.append(.init("\(base)/mediate", "调解纠纷"))
            }
            if status == "shelved" { steps.append(.init("\(base)/reopen", "重新协商")) }
            if open, !topic.meetings.isEmpty { steps.append(.init("\(base)/actions/new", "添加落实事项")) }
            if open { steps.append(.init("\(base)/escalate", "上报街道或区")) }
            if open, topic.meetings.isEmpty, topic.actions.isEmpty { steps.append(.init("\(base)/invalid", "标为无效")) }
            if ["implementing", "evaluating", "rectifying", "mediated"].contains(status) { steps.append(.init("\(base)/evaluate", "记录居民评价")) }
            if status == "evaluating" { steps.append(.init("\(base)/evaluation/close", "结束本轮评议")) }
            if status == "rectifying",
               !(try topic.actions.compactMap { try loop.action($0) }.contains { $0.isRectification && $0.round == topic.evaluationRound - 1 }) {
                steps.append(.init("\(base)/rectify", "记录整改"))
            }
            if topic.idea == nil, !topic.proposer.anonymous, topic.proposer.name != nil {
                steps.append(.init("\(base)/idea", "评为金点子/好法子"))
            }
        }
        if !topic.meetings.isEmpty || status == "closed" {
            steps.append(.init("/notices/result/\(topic.reference)", "结果公示"))
        }
        return steps
    }

    func addTopicPageRoutes(_ router: Router<Context>) {
        page(router, "topics/:ref") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), let topic = try loop.topic(reference) else {
                return notFound("这个议题", session: session, request: request, back: "/topics")
            }
            let steps = try steps(topic, loop, role: StationRole(rawValue: session.role) ?? .viewer)
            return try show("topic", title: "\(topic.reference) \(topic.title)", session: session, current: "/topics",
                            request: request, try TopicView.page(topic, loop, place: Self.topicPlace, steps: steps))
        }
        page(router, "topics/:ref/history") { request, context, session in
            let loop = try loop()
            guard let reference = Self.reference(context), let topic = try loop.topic(reference) else {
                return notFound("这个议题", session: session, request: request, back: "/topics")
            }
            return try show("history", title: "修改记录 \(topic.reference)", session: session, current: "/topics", request: request,
                            try TopicView.history(topic, loop, topicBase: "/topics"))
        }
        page(router, "topics") { request, _, session in
            let query = (try? FormFields(encoded: request.uri.query ?? "")) ?? FormFields()
            let place = TopicListView.Place(
                path: "/topics", newTopicHref: StationRole(rawValue: session.role)?.may(.intake) == true ? "/topics/new" : nil,
                topicHref: { _, reference in "/topics/\(reference)" })
            return try show("topics", title: "议题", session: session, current: "/topics", request: request,
                            try TopicListView.page(try loop(), query: query, place: place))
        }
    }
}
