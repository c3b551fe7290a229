import Foundation
import YishiMerge

enum Output {
    static func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    /// A progress line on a terminal (and nothing when output goes to a file or a pipe,
    /// where a stream of carriage returns would only be noise).
    static func progress(_ verb: String) -> ((Int, Int) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        return { done, total in
            let line = "\r\(verb) \(done)/\(total)" + (done == total ? "\n" : "")
            FileHandle.standardError.write(Data(line.utf8))
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

    init(_ value: DottedValue) {
        self.value = value.content
        replica = value.replica.rawValue
        author = value.author
        wallTime = value.wallTime.description
        lamport = value.lamport
        dot = value.id.dot.description
    }
}
