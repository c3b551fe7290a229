import Foundation
import YishiDeliberation
import YishiModel

/// What the board must not show of a community, on top of what the paper notices hide
/// (phone numbers, room numbers, anonymous names): the residents' names staff recorded —
/// proposers, residents who rated a result, those who registered for a meeting — and the
/// proposers' addresses, wherever else staff typed them, since a page online reaches
/// further than a sheet in the compound. Built once per page from the community's records.
struct BoardRedaction {
    static let hiddenName = "居民"
    static let hiddenAddress = "（住址已隐去）"

    let names: [String]
    let addresses: [String]

    init(_ topics: [Topic], evaluators: [String] = [], registrations: [String] = []) {
        // A registration is written as the person put it (`3号楼 刘阿姨`): the whole, and each
        // part that is not the building.
        let registered = registrations + registrations.flatMap { entry in
            entry.split(whereSeparator: \.isWhitespace).map(String.init)
                .filter { part in part.count >= 2 && !part.contains(where: \.isNumber) && !["楼", "栋", "单元"].contains(where: part.contains) }
        }
        let people = topics.compactMap(\.proposer.name) + evaluators + registered
        // Longer first, so that 刘阿姨 is not left half hidden by 刘.
        names = Set(people.filter { $0.count >= 2 }).sorted { $0.count > $1.count }
        // An address long enough to point at a household (a building alone, 3号楼, stays).
        addresses = Set(topics.compactMap(\.proposer.address).filter { $0.count >= 4 }).sorted { $0.count > $1.count }
    }

    func callAsFunction(_ text: String?) -> String {
        guard var text else { return "" }
        for address in addresses { text = text.replacingOccurrences(of: address, with: Self.hiddenAddress) }
        text = Redaction.redact(text)
        for name in names { text = text.replacingOccurrences(of: name, with: Self.hiddenName) }
        return text
    }
}
