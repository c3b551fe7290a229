import Testing
import YishiMerge
@testable import YishiStore

/// The batch cache may answer "nothing here" without asking SQLite only for a field the
/// transaction created itself, and must stop doing so once it has forgotten what it wrote.
@Suite struct BatchCacheTests {
    let field = FieldKey(record: "topic/HL3-01-2026-0001", field: "title")
    let value = DottedValue(
        id: ValueID(dot: Dot(replica: ReplicaID(rawValue: "HL3-01")!, counter: 1), index: 0), lamport: 1,
        author: "王芳", wallTime: WallTime(milliseconds: 0), content: "议题", rank: 0, branch: "")

    @Test func aCreatedFieldsKeysAreKnownEmptyWithoutALookup() {
        var cache = BatchCache()
        cache.created(field, kind: .register)
        let key = BatchCache.ValueKey(field: field, key: "")
        #expect(cache.values(at: key) { Issue.record("looked up a key of a created field"); return [] } == [])
        cache.set([value], at: key)
        #expect(cache.values(at: key) { [] } == [value])
    }

    @Test func aFieldNotCreatedHereIsLookedUp() {
        let cache = BatchCache()
        var asked = false
        _ = cache.values(at: BatchCache.ValueKey(field: field, key: "")) { asked = true; return [value] }
        #expect(asked)
    }

    /// Past its limit the cache forgets what it wrote, and with it that the field was
    /// created here: the key written before must be read from SQLite again, not taken as empty.
    @Test func forgettingDropsTheCreatedFieldsToo() {
        var cache = BatchCache(keyLimit: 2)
        cache.created(field, kind: .register)
        let first = BatchCache.ValueKey(field: field, key: "")
        cache.set([value], at: first)
        cache.set([], at: BatchCache.ValueKey(field: field, key: "b"))
        cache.set([], at: BatchCache.ValueKey(field: field, key: "c"))
        var asked = false
        let found = cache.values(at: first) { asked = true; return [value] }
        #expect(asked && found == [value])
        #expect(cache.kinds[field] == nil)
    }
}
