import Foundation
import Testing
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore
import YishiTestSupport

/// What a newer build wrote that this build's model does not know is shown as newer
/// content, not hidden; the fields this build knows read as always.
@Suite struct NewerContentTests {
    @Test func fieldsFromANewerBuildAreShownAsNewerContent() throws {
        let folder = TemporaryDirectory()
        let replica = try Replica.create(at: DataDirectory(folder.path("HL3-01")), replica: "HL3-01", community: "HL3")
        let loop = Deliberation(replica: replica, rules: CommunityRules(), now: { LocalDateTime("2026-11-02 09:00")! })
        let id = try loop.raise(TopicDraft(title: "北门门禁", description: "", channel: "说事点", proposer: Proposer()), by: "王芳")
        #expect(try loop.topic(id)?.newerFields == [])
        try replica.edit([LocalEdit(record: "topic/\(referenceOf(id))", field: "satisfactionSurvey", change: .write("已发放"))],
                         author: "新版本", at: WallTime(milliseconds: 1_763_800_000_000))
        let topic = try #require(try loop.topic(id))
        #expect(topic.newerFields == ["satisfactionSurvey"])
        #expect(topic.title == "北门门禁")
    }

    @Test func theModelsOwnFieldsAreNeverNewer() {
        for type in Schema.types {
            #expect(Schema.unknownFields(ofRecord: "\(type.name)/HL3-01-2026-0001", among: type.fields.map(\.name)).isEmpty)
        }
        #expect(Schema.unknownFields(ofRecord: "survey/HL3-01-2026-0001", among: ["title"]) == ["title"])
    }
}
