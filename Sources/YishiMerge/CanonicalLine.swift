/// Reads a line spelled exactly as `OpCodec.encodedBytes` writes it — keys in their fixed
/// order, no white space, numbers without sign or leading zero — straight into an op, in one
/// pass with no value in between. Nearly every line a replica takes in (journal, bundles,
/// sync) is spelled so, and reading it this way is two to three times as fast as walking it as JSON
/// (BENCHMARKS.md, "Catch-up speed (issue 11, third session)").
///
/// It gives up, returning nil, at the first byte that is not where the canonical form puts
/// it, and at anything the op's rules refuse; `OpCodec.decode` then reads the line again as
/// any JSON and names what is wrong. So it never has its own verdict: an op it returns is
/// the op the general reading returns (`OpDecoderTests` holds the two to that on random and
/// damaged lines), and the general reading keeps every refusal and its reason.
struct CanonicalLine {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    /// The op the line spells, or nil if it is not spelled canonically or is not a valid op.
    static func op(_ bytes: UnsafeBufferPointer<UInt8>) -> Op? {
        var line = CanonicalLine(bytes)
        return line.read()
    }

    private mutating func read() -> Op? {
        guard take("{\"dot\":"), let dotText = rawString(), let dot = Self.dot(dotText),
              take(",\"lamport\":"), let lamport = unsigned(), lamport > 0,
              take(",\"deps\":{"), let deps = depsEntries(before: dot),
              take(",\"scope\":"), let scope = string(), !scope.isEmpty,
              take(",\"record\":"), let record = string(), !record.isEmpty,
              take(",\"field\":"), let field = string(), !field.isEmpty,
              take(",\"author\":"), let author = string(),
              take(",\"wall\":"), let wallText = rawString(), let wall = WallTime.milliseconds(parsing: wallText),
              take(",\"schema\":1,\"kind\":"), let kind = rawString(),
              let change = change(kind, dot: dot, deps: deps),
              take("}"), index == bytes.count
        else { return nil }
        return Op(dot: dot, lamport: lamport, deps: deps, scope: scope, record: record, field: field,
                  change: change, author: author, wallTime: WallTime(milliseconds: wall))
    }

    private mutating func change(_ kind: UnsafeBufferPointer<UInt8>, dot: Dot, deps: VersionVector) -> Change? {
        switch FieldKind(utf8: kind) {
        case .register:
            guard take(",\"value\":"), let value = optionalString() else { return nil }
            return .register(value)
        case .entry:
            guard take(",\"key\":"), let key = string(), !key.isEmpty,
                  take(",\"value\":"), let value = optionalString()
            else { return nil }
            return .entry(key: key, value: value)
        case .status:
            guard take(",\"value\":"), let name = string(), !name.isEmpty,
                  take(",\"rank\":"), let rank = signed(),
                  take(",\"branch\":"), let branch = string()
            else { return nil }
            return .status(StatusValue(name: name, rank: Int(rank), branch: branch))
        case .set:
            guard take(",\"add\":"), let added = list(), take(",\"remove\":"), let removed = list(),
                  OpRules.isValidSetChange(added: added, removed: removed)
            else { return nil }
            return .set(add: added, remove: removed)
        case .text:
            guard take(",\"edits\":[") else { return nil }
            var edits: [TextEdit] = []
            repeat {
                let edit: TextEdit
                if take("{\"insert\":") {
                    guard let anchor = rawString() else { return nil }
                    var after: SegmentID?
                    if !(anchor.count == 1 && anchor[0] == UInt8(ascii: "^")) {
                        guard let id = Self.segment(anchor, at: edits.count, of: edits, dot: dot, deps: deps) else { return nil }
                        after = id
                    }
                    guard take(",\"text\":"), let text = string() else { return nil }
                    edit = .insert(after: after, text: text)
                } else if take("{\"put\":") {
                    guard let target = rawString(), let id = Self.segment(target, at: edits.count, of: edits, dot: dot, deps: deps),
                          take(",\"text\":"), let text = optionalString()
                    else { return nil }
                    edit = .put(id, text)
                } else {
                    return nil
                }
                guard take("}") else { return nil }
                edits.append(edit)
            } while take(",")
            guard take("]") else { return nil }
            return .text(edits)
        case nil:
            return nil
        }
    }

    // MARK: The parts of a line

    /// Takes `literal` if the line goes on with exactly it.
    private mutating func take(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        // Eight bytes at a time: the keys between the values are most of a line's length.
        let here = UnsafeRawPointer(bytes.baseAddress! + index), expected = UnsafeRawPointer(literal.utf8Start)
        var offset = 0
        while offset + 8 <= count {
            guard here.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == expected.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset += 8
        }
        while offset < count {
            guard here.load(fromByteOffset: offset, as: UInt8.self) == expected.load(fromByteOffset: offset, as: UInt8.self) else { return false }
            offset += 1
        }
        index += count
        return true
    }

    /// The bytes of a string with no escape in it (dots, wall times, kinds: all ASCII).
    private mutating func rawString() -> UnsafeBufferPointer<UInt8>? {
        guard index < bytes.count, bytes[index] == Self.quote else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == Self.quote { break }
            guard byte >= 0x20, byte != Self.backslash, byte < 0x80 else { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        index = end + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// A string. Its bytes are checked as UTF-8 here, where the string is made, so the
    /// line is checked once; one with escapes is read by the general reader, as there.
    private mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == Self.quote else { return nil }
        let start = index + 1
        var end = start
        var escaped = false
        var high: UInt8 = 0
        while end < bytes.count {
            let byte = bytes[end]
            if byte == Self.quote { break }
            if byte == Self.backslash {
                escaped = true
                end += 2
                continue
            }
            guard byte >= 0x20 else { return nil }
            high |= byte
            end += 1
        }
        guard end < bytes.count else { return nil }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        index = end + 1
        if high < 0x80, !escaped { return String(decoding: raw, as: UTF8.self) }
        guard let valid = try? UTF8Span(validating: raw.span) else { return nil }
        if !escaped { return String(copying: valid) }
        var reader = JSONReader(UnsafeBufferPointer(rebasing: bytes[(start - 1)...end]))
        return try? reader.string()
    }

    private mutating func optionalString() -> String?? {
        if take("null") { return .some(nil) }
        return string().map { .some($0) }
    }

    /// `[]` or `["a","b"]`.
    private mutating func list() -> [String]? {
        guard take("[") else { return nil }
        var items: [String] = []
        if take("]") { return items }
        repeat {
            guard let item = string() else { return nil }
            items.append(item)
        } while take(",")
        return take("]") ? items : nil
    }

    /// Digits without a leading zero, at most `Int64.max` (what the general reading takes
    /// as a whole number).
    private mutating func unsigned() -> UInt64? {
        let start = index
        var value: UInt64 = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (plus, overflow2) = times.addingReportingOverflow(UInt64(bytes[index] - 0x30))
            guard !overflow1, !overflow2 else { return nil }
            value = plus
            index += 1
        }
        let digits = index - start
        guard digits > 0, digits == 1 || bytes[start] != 0x30, value <= UInt64(Int64.max) else { return nil }
        return value
    }

    private mutating func signed() -> Int64? {
        if take("-") {
            guard let magnitude = unsigned() else { return nil }
            return -Int64(magnitude)
        }
        return unsigned().map { Int64($0) }
    }

    /// `{` has been taken: `"HL3-01":17,"central":4}` in the canonical (ascending) order,
    /// so no replica is named twice. An op depends only on earlier ops of its own replica.
    private mutating func depsEntries(before dot: Dot) -> VersionVector? {
        var deps = VersionVector()
        if take("}") { return deps }
        var previous: UnsafeBufferPointer<UInt8>?
        repeat {
            guard let name = rawString(), previous.map({ $0.lexicographicallyPrecedes(name) }) ?? true,
                  let replica = ReplicaID(utf8: name), take(":"), let counter = unsigned(), counter > 0,
                  replica != dot.replica || counter < dot.counter
            else { return nil }
            deps[replica] = counter
            previous = name
        } while take(",")
        return take("}") ? deps : nil
    }

    private static func dot(_ text: UnsafeBufferPointer<UInt8>) -> Dot? {
        guard let colon = text.lastIndex(of: UInt8(ascii: ":")),
              let replica = ReplicaID(utf8: UnsafeBufferPointer(rebasing: text[..<colon])),
              let counter = number(UnsafeBufferPointer(rebasing: text[(colon + 1)...])), counter > 0
        else { return nil }
        return Dot(replica: replica, counter: counter)
    }

    /// A sentence a text edit refers to (`HL3-01:17:2`), if the edit may refer to it.
    private static func segment(_ text: UnsafeBufferPointer<UInt8>, at index: Int, of edits: [TextEdit], dot: Dot, deps: VersionVector) -> SegmentID? {
        guard let colon = text.lastIndex(of: UInt8(ascii: ":")),
              let of = Self.dot(UnsafeBufferPointer(rebasing: text[..<colon])),
              let position = number(UnsafeBufferPointer(rebasing: text[(colon + 1)...])), position <= UInt32.max
        else { return nil }
        let id = SegmentID(dot: of, index: UInt32(position))
        return OpRules.mayRefer(to: id, at: index, of: edits, dot: dot, deps: deps) ? id : nil
    }

    /// Plain digits, as `Dot` and `ValueID` read them (they take no sign here: a line
    /// with one is left to the general reading).
    private static func number(_ digits: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 19 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
        }
        return value
    }
}
