import Foundation
import GRDB
import YishiMerge

/// The single write path. Every change to the replica — a local edit, a remote batch,
/// an import — runs here, inside one IMMEDIATE transaction:
///
/// 1. take SQLite's write lock (which also makes this process the only journal writer);
/// 2. replay whatever a crashed writer left in the journal past the recorded offset;
/// 3. apply the new ops, collecting their journal lines;
/// 4. append and fsync those lines, record the new offset, commit.
///
/// A crash before 4 leaves nothing; a crash between the fsync and the commit leaves lines
/// that step 2 of the next writer (or `open`) applies. Either way journal and replica agree.
extension Replica {
    struct WriteContext {
        var applier: OpApplier
        /// The bookkeeping as the transaction found it (the restore flag, the central's origins).
        let meta: WriteMeta
        fileprivate(set) var buffer: [UInt8] = []
        fileprivate let baseOffset: UInt64
        fileprivate(set) var newLines = 0

        /// Applies (or holds) an op and queues its line for the journal. Returns false
        /// when the op was already here, in which case nothing is written.
        @discardableResult
        mutating func receive(_ op: Op, line: [UInt8]? = nil, hash: [UInt8]? = nil, chain: [UInt8]? = nil) throws -> Bool {
            let line = line ?? OpCodec.encodedBytes(op)
            let isNew = try applier.receive(op, line: line, offset: baseOffset + UInt64(buffer.count), chain: chain, hash: hash)
            if isNew { append(line) }
            return isNew
        }

        /// Keeps a checkpoint or an anchor, with its journal line, unless it is here already.
        mutating func keep(_ point: ChainLine) throws {
            if try applier.keep(point) { append(point.bytes) }
        }

        private mutating func append(_ line: [UInt8]) {
            buffer.append(contentsOf: line)
            buffer.append(0x0A)
            newLines += 1
        }

        /// Receives a batch in order, telling `progress` every thousand ops. A proved batch
        /// (`Replica+Provenance`) comes with its canonical lines and their hashes, already
        /// made for the proof, and the heads the proof gave each op.
        mutating func receive(_ ops: [Op], lines: [[UInt8]]? = nil, hashes: [[UInt8]]? = nil, chains: [[UInt8]]? = nil,
                              progress: ProgressReport? = nil) throws {
            applier.expect(ops.count)
            buffer.reserveCapacity(buffer.count + ops.count * 256)
            for (index, op) in ops.enumerated() {
                try receive(op, line: lines?[index], hash: hashes?[index], chain: chains?[index])
                if index % 1000 == 999 { try progress?(WorkProgress("导入修改", done: Int64(index + 1), total: Int64(ops.count))) }
            }
            try progress?(WorkProgress("导入修改", done: Int64(ops.count), total: Int64(ops.count)))
        }
    }

    func write<T>(_ body: (inout WriteContext) throws -> T) throws -> T {
        do {
            return try pool.write { db in
                var meta = try WriteMeta.read(db)
                var applier = try OpApplier(db: db, meta: meta)
                let offset = try recoverTail(into: &applier, from: meta.journalOffset, lines: &meta.journalLines)
                // New ops keep the rules of origin; what the journal held was taken already.
                applier.originRules = OriginRules(community: community, streetFields: true, directory: nil)
                var context = WriteContext(applier: applier, meta: meta, baseOffset: offset)
                let result = try body(&context)
                try context.applier.finish()
                try journal.append(context.buffer, at: offset)
                meta.journalOffset = offset + UInt64(context.buffer.count)
                meta.journalLines += context.newLines
                meta.lamport = context.applier.lamport
                try meta.save(db)
                return result
            }
        } catch let error as MergeError {
            throw StoreError(.merge(error, line: nil))
        }
    }

    /// Applies complete journal lines beyond `recorded` and cuts a torn last line. Returns
    /// the offset where new lines go.
    private func recoverTail(into applier: inout OpApplier, from recorded: UInt64, lines: inout Int) throws -> UInt64 {
        let size = try journal.size()
        if size == recorded { return recorded }
        guard size > recorded else { throw StoreError(.journalShorter(recorded: recorded, actual: size)) }
        let (tail, tornBytes) = Journal.lines(try journal.read(from: recorded), startingAt: recorded, firstNumber: lines + 1)
        for entry in try JournalEntry.decode(tail) {
            try entry.replay(into: &applier)
        }
        let end = size - UInt64(tornBytes)
        // The torn bytes are a line whose writer died mid-write: it was never committed
        // or acknowledged, so it is cut rather than guessed at.
        if tornBytes > 0 { try journal.truncate(to: end) }
        lines += tail.count
        return end
    }
}
