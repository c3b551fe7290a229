import ArgumentParser
import Foundation
import YishiMerge
import YishiStore

enum Output {
    static func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Runs a long command's work under a progress meter (see `ProgressMeter`). When the
    /// person stops it with Ctrl+C the meter says where it was and what `kept` is, and the
    /// command ends with status 130, as a shell expects of an interrupted program.
    static func longWork<T>(json: Bool, kept: String, _ work: (@escaping ProgressReport) throws -> T) throws -> T {
        let meter = ProgressMeter(json: json, kept: kept)
        do {
            return try meter.run(work)
        } catch let error as StoreError where error.isStopped {
            throw ExitCode(130)
        }
    }
}

/// A value as the JSON output shows it, with everything a person needs to know where it
/// came from.
struct ValueJSON: Encodable {
    var value: String?
    var replica: String
    var author: String
    var wallTime: String
    var lamport: UInt64
    var dot: String
    /// The value as a person reads it, where that differs (a status's label).
    var label: String?

    init(_ value: DottedValue, label: String? = nil) {
        self.value = value.content
        self.label = label == value.content ? nil : label
        replica = value.replica.rawValue
        author = value.author
        wallTime = value.wallTime.description
        lamport = value.lamport
        dot = value.id.dot.description
    }
}
