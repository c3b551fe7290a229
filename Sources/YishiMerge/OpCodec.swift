/// The one text form of an op: a single JSON line, used in the journal, in bundles and on
/// the wire. Keys are written in a fixed order, so encoding is canonical and an op's bytes
/// (and their hash) identify its content.
public enum OpCodec {
    public static func encode(_ op: Op) -> String {
        String(decoding: encodedBytes(op), as: UTF8.self)
    }

    /// The canonical line as UTF-8, without the newline. Written byte by byte rather
    /// than through string interpolation: it runs for every op a replica takes in.
    public static func encodedBytes(_ op: Op) -> [UInt8] {
        var line = LineWriter()
        line.raw("{\"dot\":\"")
        line.dot(op.dot)
        line.raw("\",\"lamport\":")
        line.number(op.lamport)
        line.raw(",\"deps\":{")
        for (index, entry) in op.deps.sortedEntries.enumerated() {
            if index > 0 { line.raw(",") }
            line.quoted(entry.replica.rawValue)
            line.raw(":")
            line.number(entry.counter)
        }
        line.raw("},\"scope\":")
        line.quoted(op.scope)
        line.raw(",\"record\":")
        line.quoted(op.record)
        line.raw(",\"field\":")
        line.quoted(op.field)
        line.raw(",\"author\":")
        line.quoted(op.author)
        line.raw(",\"wall\":\"")
        line.wallTime(op.wallTime)
        line.raw("\",\"schema\":")
        line.number(UInt64(op.schema))
        line.raw(",\"kind\":\"")
        line.text(op.kind.rawValue)
        line.raw("\"")
        switch op.change {
        case .register(let value):
            line.raw(",\"value\":")
            line.optional(value)
        case .entry(let key, let value):
            line.raw(",\"key\":")
            line.quoted(key)
            line.raw(",\"value\":")
            line.optional(value)
        case .status(let status):
            line.raw(",\"value\":")
            line.quoted(status.name)
            line.raw(",\"rank\":")
            line.text(String(status.rank))
            line.raw(",\"branch\":")
            line.quoted(status.branch)
        case .set(let added, let removed):
            line.raw(",\"add\":")
            line.list(added)
            line.raw(",\"remove\":")
            line.list(removed)
        case .text(let edits):
            line.raw(",\"edits\":[")
            for (index, edit) in edits.enumerated() {
                if index > 0 { line.raw(",") }
                switch edit {
                case .insert(let after, let text):
                    line.raw("{\"insert\":\"")
                    if let after { line.valueID(after) } else { line.raw("^") }
                    line.raw("\",\"text\":")
                    line.quoted(text)
                case .put(let segment, let text):
                    line.raw("{\"put\":\"")
                    line.valueID(segment)
                    line.raw("\",\"text\":")
                    line.optional(text)
                }
                line.raw("}")
            }
            line.raw("]")
        }
        line.raw("}")
        return line.bytes
    }

    /// Decodes one line, checking everything a merge relies on. Bytes that are not UTF-8,
    /// JSON that is cut short, an unknown field kind or another schema version each get
    /// their own message. Any JSON that spells a valid op is accepted (key order, white
    /// space and escapes are free); the canonical line is only what `encode` writes.
    public static func decode(_ bytes: some Collection<UInt8>) throws(OpDecodingError) -> Op {
        let result = bytes.withContiguousStorageIfAvailable(decode(buffer:)) ?? Array(bytes).withUnsafeBufferPointer(decode(buffer:))
        return try result.get()
    }

    // The forms lines come in, called without going through the generic function's
    // witness tables (which cost a tenth of a line's decoding).
    public static func decode(_ bytes: [UInt8]) throws(OpDecodingError) -> Op {
        try bytes.withUnsafeBufferPointer(decode(buffer:)).get()
    }

    public static func decode(_ bytes: ArraySlice<UInt8>) throws(OpDecodingError) -> Op {
        try bytes.withUnsafeBufferPointer(decode(buffer:)).get()
    }

    /// A canonical line is read as it is written (`CanonicalLine`); any other is read as JSON.
    private static func decode(buffer: UnsafeBufferPointer<UInt8>) -> Result<Op, OpDecodingError> {
        if let op = CanonicalLine.op(buffer) { return .success(op) }
        return decodeAnySpelling(buffer: buffer)
    }

    /// The line read as any JSON, for a line not spelled canonically (or not an op: this
    /// reading names why).
    private static func decodeAnySpelling(buffer: UnsafeBufferPointer<UInt8>) -> Result<Op, OpDecodingError> {
        // Most lines are ASCII but for their Chinese text; check the bytes once here, so
        // every string read below may be taken as it is.
        // (`UTF8Span` checks without copying the line into a string.)
        if buffer.contains(where: { $0 >= 0x80 }), (try? UTF8Span(validating: buffer.span)) == nil {
            return .failure(.invalidUTF8)
        }
        let line: OpLine
        do {
            line = try OpLine(buffer)
        } catch {
            return .failure(.notJSON)
        }
        do {
            return .success(try line.op())
        } catch {
            return .failure(error)
        }
    }
}

/// Why a line is not an op, for a person to act on.
public struct OpDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case invalidUTF8, notJSON, schema(Int), unknownKind(String), missing(String), invalid(String), unexpected(String)
    }

    private let reason: Reason
    static let invalidUTF8 = OpDecodingError(reason: .invalidUTF8)
    static let notJSON = OpDecodingError(reason: .notJSON)
    static func schema(_ version: Int) -> Self { .init(reason: .schema(version)) }
    static func unknownKind(_ name: String) -> Self { .init(reason: .unknownKind(name)) }
    static func missing(_ key: String) -> Self { .init(reason: .missing(key)) }
    static func invalid(_ key: String) -> Self { .init(reason: .invalid(key)) }
    static func unexpected(_ key: String) -> Self { .init(reason: .unexpected(key)) }

    public var description: String {
        switch reason {
        case .invalidUTF8: "含有不是 UTF-8 编码的字节（文件可能损坏，或被其他软件以 GBK 等编码保存过）"
        case .notJSON: "不是完整的 JSON（可能被截断或损坏）"
        case .schema(let version):
            "数据格式版本是 \(version)，本程序只认识版本 \(Op.currentSchema)；请把两边的 yishi 升级到同一版本后再试"
        case .unknownKind(let name): "字段类型“\(name)”无法识别（只认识 register、set、text、entry、status）"
        case .missing(let key): "缺少“\(key)”"
        case .invalid(let key): "“\(key)”的值不正确"
        case .unexpected(let key): "含有无法识别的键“\(key)”"
        }
    }
}
