import Foundation
import YishiMerge

/// Op lines decoded, as a station or the central does for every op it takes in, beside
/// what Foundation's JSON parser alone (the previous decoder's first step, with none of
/// the checks) needs for the same lines. The compact wire form (sync batches, bundles of
/// version 2) is decoded too, a batch at a time as sync reads it.
enum DecodeBenchmark {
    struct Figures {
        var lines: Int
        var bytesPerLine: Double
        var decoderSeconds: Double
        var foundationSeconds: Double
        var compactBytesPerLine: Double
        var compactSeconds: Double
    }

    static func run(count: Int) throws -> Figures {
        let ops = try RemoteApplyBenchmark.makeOps(count: count)
        let lines = ops.map(OpCodec.encodedBytes)
        var decoded = 0
        let decoderSeconds = try Measure.seconds {
            for line in lines { decoded += try OpCodec.decode(line).lamport > 0 ? 1 : 0 }
        }
        precondition(decoded == lines.count)
        let foundationSeconds = try Measure.seconds {
            for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line)) }
        }
        // Sync batches of 5,000, each read from its first line.
        let batches = stride(from: 0, to: ops.count, by: 5_000).map { CompactOpCodec.encode(Array(ops[$0..<min(ops.count, $0 + 5_000)])) }
        decoded = 0
        let compactSeconds = try Measure.seconds {
            for batch in batches {
                var decoder = CompactOpCodec.Decoder()
                for line in batch { decoded += try decoder.decode(line).lamport > 0 ? 1 : 0 }
            }
        }
        precondition(decoded == lines.count)
        let bytes = lines.reduce(0) { $0 + $1.count }
        let compactBytes = batches.joined().reduce(0) { $0 + $1.count }
        return Figures(lines: lines.count, bytesPerLine: Double(bytes) / Double(lines.count), decoderSeconds: decoderSeconds,
                       foundationSeconds: foundationSeconds, compactBytesPerLine: Double(compactBytes) / Double(lines.count),
                       compactSeconds: compactSeconds)
    }
}
