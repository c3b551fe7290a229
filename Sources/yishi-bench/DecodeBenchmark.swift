import Foundation
import YishiMerge

/// Op lines decoded, as a station or the central does for every op it takes in, beside
/// what Foundation's JSON parser alone (the previous decoder's first step, with none of
/// the checks) needs for the same lines.
enum DecodeBenchmark {
    static func run(count: Int) throws -> (lines: Int, bytesPerLine: Double, decoderSeconds: Double, foundationSeconds: Double) {
        let lines = try RemoteApplyBenchmark.makeOps(count: count).map(OpCodec.encodedBytes)
        var decoded = 0
        let decoderSeconds = try Measure.seconds {
            for line in lines { decoded += try OpCodec.decode(line).lamport > 0 ? 1 : 0 }
        }
        precondition(decoded == lines.count)
        let foundationSeconds = try Measure.seconds {
            for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line)) }
        }
        let bytes = lines.reduce(0) { $0 + $1.count }
        return (lines.count, Double(bytes) / Double(lines.count), decoderSeconds, foundationSeconds)
    }
}
