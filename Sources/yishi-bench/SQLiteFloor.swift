import Foundation
import GRDB
import GRDBSQLite
import YishiMerge
@_spi(Benchmark) import YishiStore

/// The SQLite part alone of applying remote ops: the statements the replica runs for them
/// (`ApplyStatement`, the same text), in the same order, on the replica's own tables, batch
/// by batch in one transaction each — with every row worked out before the clock starts. Nothing is hashed, encoded, merged or
/// journaled while it runs. The apply can never be faster than this, so it is the baseline
/// that says how much of the apply's time is Yishi's own and how much SQLite's.
///
/// It follows `OpApplier` for the ops `RemoteApplyBenchmark` makes: the op row; the field
/// row when the field is new, or a look-up of its kind the first time a batch meets it; a
/// look-up of the values at the key unless the batch already knows them; the deletes of the
/// values the op supersedes; the new value; a text's new sentence and its parent's check.
enum SQLiteFloor {
    /// A statement and where its values lie in the arena.
    private struct Step {
        var statement: ApplyStatement
        var values: [Bound]
    }

    private enum Bound {
        case text(offset: Int, count: Int)
        case integer(Int64)
        /// An op's SHA-256 (and its head in its origin's chain): 32 zero bytes at the arena's
        /// start, as their value does not change SQLite's work.
        case hash
    }

    /// Seconds to run the statements for `ops`, `batch` ops to a transaction.
    static func run(_ ops: [Op], batch: Int) throws -> Double {
        var arena = [UInt8](repeating: 0, count: 32)
        func text(_ string: String) -> Bound {
            let offset = arena.count
            arena.append(contentsOf: string.utf8)
            return .text(offset: offset, count: arena.count - offset)
        }
        func integer<N: BinaryInteger>(_ number: N) -> Bound { .integer(Int64(number)) }

        // Work out every batch's steps first, keeping the values at each key as the replica would.
        var batches: [[Step]] = []
        var knownFields: Set<FieldKey> = []
        var values: [String: [DottedValue]] = [:]
        var offset = 0
        for start in stride(from: 0, to: ops.count, by: batch) {
            var steps: [Step] = []
            var fieldsSeen: Set<FieldKey> = []
            var keysSeen: Set<String> = []
            var createdFields: Set<FieldKey> = []
            var staleRecords: [String] = []
            for op in ops[start..<min(ops.count, start + batch)] {
                let record = text(op.record), field = text(op.field), replica = text(op.dot.replica.rawValue)
                steps.append(Step(statement: .insertOp, values: [
                    replica, integer(op.dot.counter), integer(op.lamport), text(op.scope), record, field, .hash,
                    integer(offset), integer(250), integer(1), .hash,
                ]))
                offset += 250
                let fieldKey = FieldKey(record: op.record, field: op.field)
                if !knownFields.contains(fieldKey) {
                    steps.append(Step(statement: .insertField, values: [record, field, text(op.kind.rawValue), text(op.scope)]))
                    knownFields.insert(fieldKey)
                    createdFields.insert(fieldKey)
                } else if !fieldsSeen.contains(fieldKey) {
                    steps.append(Step(statement: .fieldKind, values: [record, field]))
                }
                fieldsSeen.insert(fieldKey)
                for effect in op.effects {
                    let valueKey = op.record + "\u{0}" + op.field + "\u{0}" + effect.key
                    let key = text(effect.key)
                    if let node = effect.newNode {
                        if let parent = node.parent {
                            steps.append(Step(statement: .segmentExists, values: [
                                record, field, text(parent.dot.replica.rawValue), integer(parent.dot.counter), integer(parent.index),
                            ]))
                        }
                        steps.append(Step(statement: .insertSegment, values: [
                            record, field, text(node.id.dot.replica.rawValue), integer(node.id.dot.counter), integer(node.id.index),
                            text(node.parent?.description ?? "^"), integer(node.lamport),
                        ]))
                    } else {
                        if op.kind == .text, let segment = SegmentID(Substring(effect.key)) {
                            steps.append(Step(statement: .segmentExists, values: [
                                record, field, text(segment.dot.replica.rawValue), integer(segment.dot.counter), integer(segment.index),
                            ]))
                        }
                        if !keysSeen.contains(valueKey) && !createdFields.contains(fieldKey) {
                            steps.append(Step(statement: .valuesAtKey, values: [record, field, key]))
                        }
                    }
                    keysSeen.insert(valueKey)
                    let before = values[valueKey] ?? []
                    for old in before where op.deps.contains(old.id.dot) {
                        steps.append(Step(statement: .deleteValue, values: [
                            record, field, key, text(old.replica.rawValue), integer(old.id.dot.counter), integer(old.id.index),
                        ]))
                    }
                    values[valueKey] = before.superseded(by: op.deps, adding: effect.newValue)
                    if let value = effect.newValue {
                        steps.append(Step(statement: .insertValue, values: [
                            record, field, key, text(value.replica.rawValue), integer(value.id.dot.counter), integer(value.id.index),
                            integer(value.lamport), text(value.author), integer(value.wallTime.milliseconds),
                            text(value.content ?? ""), integer(value.rank), text(value.branch),
                        ]))
                    }
                }
                staleRecords.append(op.record)
            }
            // Once per record, when the batch ends, as `OpApplier.finish` does.
            for record in Set(staleRecords) { steps.append(Step(statement: .markStale, values: [text(record)])) }
            batches.append(steps)
        }

        let folder = Measure.temporaryDirectory("floor")
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = DataDirectory(folder.appendingPathComponent("station"))
        try Replica.create(at: directory, replica: "HL3-01", community: "HL3").close()
        let pool = try DatabasePool(path: directory.database.path)
        defer { try? pool.close() }
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        return try pool.writeWithoutTransaction { db in
            let prepared = try ApplyStatement.allCases.map { try db.makeStatement(sql: $0.sql) }
            // The arena outlives every step, so SQLite reads the values in place (SQLITE_STATIC),
            // as `RawStatement` binds them for the applier.
            return try arena.withUnsafeBufferPointer { arena in
                try Measure.seconds {
                    for steps in batches {
                        try db.execute(sql: "BEGIN IMMEDIATE")
                        for step in steps {
                            let handle = prepared[step.statement.rawValue].sqliteStatement
                            for (index, value) in step.values.enumerated() {
                                switch value {
                                case .text(let offset, let count):
                                    let start = UnsafeRawPointer(arena.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
                                    sqlite3_bind_text(handle, Int32(index + 1), start, Int32(count), nil)
                                case .integer(let number):
                                    sqlite3_bind_int64(handle, Int32(index + 1), number)
                                case .hash:
                                    sqlite3_bind_blob(handle, Int32(index + 1), arena.baseAddress, 32, nil)
                                }
                            }
                            var code = sqlite3_step(handle)
                            while code == SQLITE_ROW { code = sqlite3_step(handle) }
                            guard code == SQLITE_DONE else {
                                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                            }
                            sqlite3_reset(handle)
                        }
                        try db.execute(sql: "COMMIT")
                    }
                }
            }
        }
    }
}
