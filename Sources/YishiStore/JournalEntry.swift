import YishiMerge

/// One line of the journal after its header, read back: an op, or a checkpoint or anchor
/// kept with ops (`ChainLine`). Replaying a journal (after a crash, or to rebuild) puts each
/// back where it was.
enum JournalEntry {
    case op(Op, Journal.Line)
    case chain(ChainLine)

    /// Every line decoded before any is replayed: a bad line anywhere names its number and
    /// changes nothing.
    static func decode(_ lines: some Sequence<Journal.Line>) throws -> [JournalEntry] {
        var entries: [JournalEntry] = []
        for line in lines {
            if ChainLine.isChainLine(line.bytes) {
                guard let point = ChainLine(line.bytes) else {
                    throw StoreError(.journalLine(line: line.number, problem: "签名记录的格式不对"))
                }
                entries.append(.chain(point))
                continue
            }
            do {
                entries.append(.op(try OpCodec.decode(line.bytes), line))
            } catch {
                throw StoreError(.journalLine(line: line.number, problem: error.description))
            }
        }
        return entries
    }

    func replay(into applier: inout OpApplier) throws {
        switch self {
        case .op(let op, let line):
            try applier.receive(op, line: OpCodec.encodedBytes(op), offset: line.offset, length: line.bytes.count)
        case .chain(let point):
            _ = try applier.keep(point)
        }
    }
}
