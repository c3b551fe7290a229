import Foundation
import GRDB
import Testing
import YishiMerge
@testable import YishiStore
import YishiTestSupport

/// Search at the central, which holds many communities: a community's search keeps to it,
/// its count is the number of topics listed, and the two ways of ordering the matches
/// (look each up and sort, or walk the list order) give the same pages.
@Suite struct DistrictSearchTests {
    let folder = TemporaryDirectory()
    let wall = WallTime(milliseconds: 1_763_800_000_000)

    /// Two communities' stations raise topics on random days with random titles; the
    /// central takes in both.
    func district(seed: UInt64) throws -> (central: Replica, titles: [String: (community: String, title: String)]) {
        var random = SplitMix(seed: seed)
        let words = ["加装电梯", "垃圾分类", "停车难", "路灯不亮", "噪音扰民"]
        let central = try Replica.create(at: folder.dataDirectory("central-\(seed)"), replica: "central", community: "central")
        var titles: [String: (String, String)] = [:]
        for community in ["HL3", "HL4"] {
            let station = try Replica.create(at: folder.dataDirectory("\(community)-01-\(seed)"), replica: "\(community)-01", community: community)
            var edits: [LocalEdit] = []
            for number in 1...60 {
                let record = "topic/\(community)-01-2026-\(String(format: "%04d", number))"
                let title = words[Int(random.next() % UInt64(words.count))] + "（\(number) 号楼）"
                let day = String(format: "2026-%02d-%02d", 1 + Int(random.next() % 12), 1 + Int(random.next() % 28))
                edits += [LocalEdit(record: record, field: "title", change: .write(title)),
                          LocalEdit(record: record, field: "raisedOn", change: .write(day))]
                titles[record] = (community, title)
            }
            // A meeting mentions the words too: a topic search must not list it.
            edits.append(LocalEdit(record: "meeting/\(community)-01-2026-H001", field: "minutes", change: .text("讨论加装电梯和垃圾分类。")))
            _ = try station.edit(edits, author: "王芳", at: wall)
            _ = try central.receive(try station.opLines().map { try OpCodec.decode(Array($0.utf8)) })
        }
        return (central, titles)
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func aCommunitysSearchKeepsToItAndCountsWhatItLists(seed: UInt64) throws {
        let (central, titles) = try district(seed: seed)
        for scope in ["HL3", "HL4", nil] as [String?] {
            for word in ["加装电梯", "停车", "楼", "没有的词"] {
                var query = RecordQuery(type: "topic", orderBy: "raisedOn")
                query.scope = scope
                query.words = word
                let expected = Set(titles.filter { scope == nil || $0.value.community == scope }
                    .filter { $0.value.title.contains(word) }.keys)
                let sorted = try central.records(query, offset: 0, limit: 1_000, walkingAbove: .max)
                let walked = try central.records(query, offset: 0, limit: 1_000, walkingAbove: 0)
                #expect(Set(sorted.ids) == expected, "\(scope ?? "全部") \(word)")
                #expect(sorted.total == expected.count)
                #expect(walked.ids == sorted.ids && walked.total == sorted.total)
                // Page by page the same, in either way.
                for offset in stride(from: 0, to: expected.count, by: 7) {
                    #expect(try central.records(query, offset: offset, limit: 7, walkingAbove: 0).ids
                        == central.records(query, offset: offset, limit: 7, walkingAbove: .max).ids)
                }
            }
        }
    }

    /// A replica indexed before v7 (row numbers in `search_row`) keeps finding its records
    /// after the migration, now each with its community.
    @Test func searchRowsBecomeSearchRecordsWithTheirCommunity() throws {
        let url = folder.url.appendingPathComponent("v6.sqlite")
        let queue = try DatabaseQueue(path: url.path)
        try Migrations.migrator.migrate(queue, upTo: "v6-search-rows")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO field (record, field, kind, scope) VALUES ('topic/HL3-01-2026-0001', 'title', 'register', 'HL3')")
            try db.execute(sql: "INSERT INTO record_search (rowid, record, plain, body) VALUES (7, 'topic/HL3-01-2026-0001', '加装电梯', '加装 装电 电梯')")
            try db.execute(sql: "INSERT INTO search_row (record, row) VALUES ('topic/HL3-01-2026-0001', 7)")
        }
        try Migrations.migrator.migrate(queue)
        try queue.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT row, record, scope FROM search_record")
            #expect(row?["row"] == 7 as Int64 && row?["record"] == "topic/HL3-01-2026-0001" && row?["scope"] == "HL3")
            #expect(try !db.tableExists("search_row"))
        }
    }
}
