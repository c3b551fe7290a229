import Foundation
import Testing
import YishiMerge
import YishiStore
import YishiTestSupport

/// What a station on an older build does with ops for a field its model does not know
/// (the per-topic `outcomes` of a meeting, to a station from before them): the store
/// merges by the kind each op carries, not by the model, so it keeps them in journal and
/// replica, relays them, and its digest agrees — and the upgraded build reads them at once.
@Suite struct FieldsFromANewerSchemaTests {
    let folder = TemporaryDirectory()
    let wall = WallTime(milliseconds: 1_763_800_000_000)

    @Test func unknownFieldsAreKeptRelayedAndAgreedOn() throws {
        let newer = try Replica.create(at: folder.dataDirectory("HL3-01"), replica: "HL3-01", community: "HL3")
        let older = try Replica.create(at: folder.dataDirectory("HL3-02"), replica: "HL3-02", community: "HL3")
        let third = try Replica.create(at: folder.dataDirectory("HL3-03"), replica: "HL3-03", community: "HL3")
        let ops = try newer.edit([
            LocalEdit(record: "meeting/HL3-01-2026-H001", field: "outcomes", change: .entry(key: "topic/HL3-01-2026-0001", value: "达成共识")),
            LocalEdit(record: "meeting/HL3-01-2026-H001", field: "aFieldOfTheFuture", change: .write("x")),
        ], author: "王芳", at: wall)
        #expect(try older.receive(ops).applied == 2)
        // Relayed onward from the older station, unchanged.
        let lines = try older.opLines()
        #expect(lines.count == 2)
        #expect(try third.receive(lines.map { try OpCodec.decode(Array($0.utf8)) }).applied == 2)
        #expect(try older.digest() == newer.digest() && third.digest() == newer.digest())
        #expect(try older.fieldState(record: "meeting/HL3-01-2026-H001", field: "outcomes")?
            .resolution(at: "topic/HL3-01-2026-0001").shown?.content == "达成共识")
    }
}
