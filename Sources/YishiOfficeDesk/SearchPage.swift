import Hummingbird
import YishiHTTP
import YishiDesk
import YishiLoopPages

/// 检索: topics of every community, searched in Chinese and filtered as at the station;
/// each row names its community and opens that community's read-only topic page.
extension OfficeDesk {
    func addSearchRoutes(_ router: Router<YishiRequestContext>) {
        routes.page(router, "office/search") { request, _, session in
            let query = (try? FormFields(encoded: request.uri.query ?? "")) ?? FormFields()
            let place = TopicListView.Place(path: "/office/search", heading: "检索（全部社区）", showsCommunity: true,
                                            topicHref: { community, reference in "/office/communities/\(community)/topics/\(reference)" })
            return try routes.show("topics", title: "检索", session: session, current: "/office/search", request: request,
                                   try TopicListView.page(loop(), query: query, place: place))
        }
    }
}
