import YishiMerge

/// What one write transaction knows of the replica's fields and values, so that a batch
/// reads each field's kind and each key's values from SQLite at most once, and not at all
/// for a field the batch itself created. The cache is written through: every write still
/// goes to SQLite as it happens, so other reads in the same transaction (a local edit
/// reads its field's state) see the same thing.
struct BatchCache {
    struct ValueKey: Hashable {
        var field: FieldKey
        var key: String
    }

    /// The kind of every field read or created.
    private(set) var kinds: [FieldKey: FieldKind] = [:]
    /// The values at each key read or written, as they are now.
    private var values: [ValueKey: [DottedValue]] = [:]
    /// Fields this transaction created: a key of theirs missing from `values` holds nothing.
    /// In a catch-up after weeks offline most fields are new, and their keys are not looked up.
    private var createdFields: Set<FieldKey> = []
    /// Records whose words the search index must read again; written once at the end.
    var staleRecords: Set<String> = []

    /// Above this many keys everything known is forgotten, to bound a large import's
    /// memory (50,000 keys: some ten megabytes). `createdFields` goes with `values`: a
    /// created field's written keys would otherwise look empty.
    let keyLimit: Int

    init(keyLimit: Int = 50_000) { self.keyLimit = keyLimit }

    /// Room for about `count` fields and keys (one each per op, mostly), up to the limit.
    mutating func reserve(_ count: Int) {
        let room = min(count, keyLimit)
        kinds.reserveCapacity(room)
        values.reserveCapacity(room)
        createdFields.reserveCapacity(room)
        staleRecords.reserveCapacity(room)
    }

    mutating func read(_ field: FieldKey, kind: FieldKind) { kinds[field] = kind }

    mutating func created(_ field: FieldKey, kind: FieldKind) {
        kinds[field] = kind
        createdFields.insert(field)
    }

    /// The values at `key`, read with `load` only when this transaction does not know them.
    func values(at key: ValueKey, load: () throws -> [DottedValue]) rethrows -> [DottedValue] {
        if let known = values[key] { return known }
        if createdFields.contains(key.field) { return [] }
        return try load()
    }

    mutating func set(_ current: [DottedValue], at key: ValueKey) {
        if values.count >= keyLimit {
            kinds.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            createdFields.removeAll(keepingCapacity: true)
        }
        values[key] = current
    }
}
