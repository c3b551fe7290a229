import PropertyBased
import Testing
import YishiModel

/// What a record holds that a build's model does not know — a field a newer build added,
/// a value outside a vocabulary — read from plain values, without a store.
@Suite struct SchemaNewerContentTests {
    /// Every field and every choice of this build's model is known to it.
    @Test func theModelsOwnFieldsAndChoicesAreNeverNewer() {
        for type in Schema.types {
            let newer = Schema.newerContent(ofRecord: "\(type.name)/HL3-01-2026-0001", fields: type.fields.map(\.name)) { name in
                type.field(name)?.choices ?? ["随便写的文字"]
            }
            #expect(newer.isEmpty, "\(type.name): \(newer)")
        }
    }

    /// A new field by its name, a new choice with its field's label; known values beside
    /// them, and free text, are not named.
    @Test func aNewFieldAndANewChoiceAreNamed() {
        let values: [String: [String]] = [
            "category": ["社区安全", "邻里及家庭纠纷"], "status": ["surveying", "raised"], "title": ["不在任何词表里"],
            "satisfactionSurvey": ["已发放"],
        ]
        let newer = Schema.newerContent(ofRecord: "topic/HL3-01-2026-0001", fields: values.keys) { values[$0] ?? [] }
        #expect(newer == ["类别“社区安全”", "satisfactionSurvey", "状态“surveying”"])
        let ballots = Schema.newerContent(ofRecord: "meeting/HL3-01-2026-H001", fields: ["ballots"]) { _ in ["同意", "原则同意", "同意"] }
        #expect(ballots == ["表决“原则同意”"])
        // A record type this build does not know at all is newer as a whole; its records are
        // never shown, so there is nothing to name on them.
        #expect(Schema.newerContent(ofRecord: "survey/HL3-01-2026-0001", fields: ["title"]) { _ in [] }.isEmpty)
    }

    /// A build of the first model reads a meeting closed per topic as newer content; this
    /// build reads the same fields as its own.
    @Test func anOlderBuildSeesTheFieldsAddedSinceAsNewer() {
        let fields = ["topics", "outcome", "outcomes", "rounds", "repairs"]
        let first = Schema.types(asOfRevision: 0)
        #expect(Schema.newerContent(ofRecord: "meeting/HL3-01-2026-H001", fields: fields, values: { _ in [] }, in: first)
            == ["outcomes", "repairs", "rounds"])
        #expect(Schema.newerContent(ofRecord: "meeting/HL3-01-2026-H001", fields: fields) { _ in [] }.isEmpty)
        #expect(Schema.types(asOfRevision: Schema.revision) == Schema.types)
    }

    static let names = Set(Schema.types.flatMap { $0.fields.map(\.name) }).sorted() + ["satisfactionSurvey", "photos"]
    static let pool = Set(Schema.types.flatMap { $0.fields.compactMap(\.choices).joined() }).sorted() + ["社区安全", "原则同意", "任意文字"]

    /// Laws over random records: a value is named exactly when its field is unknown or it
    /// is outside the field's choices; adding known choices names nothing more; and an
    /// older model names at least what the newer one does.
    @Test func newerContentNamesExactlyWhatTheModelLacks() async {
        await propertyCheck(
            count: 500, input: Gen.element(of: Schema.types), Gen.element(of: Self.names).array(of: 0...6),
            Gen.element(of: Self.pool).array(of: 1...4)
        ) { type, fieldNames, picked in
            guard let type else { return }
            let id = "\(type.name)/HL3-01-2026-0001"
            let fields = Set(fieldNames.compactMap { $0 })
            let values = picked.compactMap { $0 }
            let newer = Schema.newerContent(ofRecord: id, fields: fields) { _ in values }
            let lacking = fields.contains { name in
                guard let spec = type.field(name) else { return true }
                return spec.choices.map { choices in values.contains { !choices.contains($0) } } ?? false
            }
            #expect(newer.isEmpty == !lacking, "\(id) \(fields) \(values): \(newer)")
            let withKnown = Schema.newerContent(ofRecord: id, fields: fields) { name in values + (type.field(name)?.choices ?? []) }
            #expect(withKnown == newer)
            let older = Schema.newerContent(ofRecord: id, fields: fields, values: { _ in values }, in: Schema.types(asOfRevision: 0))
            // Older builds name a field they lack by its name, newer ones a new choice by the
            // field's label: compare the fields named.
            func named(_ items: [String]) -> Set<String> {
                Set(items.map { item in type.fields.first { item.hasPrefix($0.label + "“") }?.name ?? item })
            }
            #expect(named(newer).isSubset(of: named(older)))
        }
    }
}
