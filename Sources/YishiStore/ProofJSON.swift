import Foundation
import YishiMerge
import YishiTrust

/// A run's proof as a bundle's header writes it:
/// `{"origin":"HL3-01","from":1,"before":"…","checkpoints":[{"origin":…,"counter":…,"head":…,"key":…,"signature":…}]}`,
/// hashes and signatures in base64url.
enum ProofJSON {
    /// A checkpoint's object, as it stands in a proof's list.
    static func encode(_ checkpoint: Checkpoint) -> String {
        let line = String(decoding: ChainLine.checkpoint(checkpoint).bytes, as: UTF8.self)
        return String(line.dropFirst("{\"checkpoint\":".count).dropLast())
    }

    static func encode(_ proof: RunProof) -> String {
        var text = "{\"origin\":\"\(proof.origin.rawValue)\",\"from\":\(proof.from)"
        if let before = proof.before { text += ",\"before\":\"\(Base64URL.encode(before))\"" }
        return text + ",\"checkpoints\":[" + proof.checkpoints.map { encode($0) }.joined(separator: ",") + "]}"
    }

    /// Nil when any proof is not well formed.
    static func decode(_ items: [[String: Any]]) -> [RunProof]? {
        var proofs: [RunProof] = []
        for item in items {
            guard let origin = (item["origin"] as? String).flatMap(ReplicaID.init(rawValue:)),
                  let from = (item["from"] as? NSNumber)?.uint64Value, from > 0,
                  let checkpointItems = item["checkpoints"] as? [[String: Any]]
            else { return nil }
            var before: [UInt8]?
            if let text = item["before"] {
                guard let bytes = (text as? String).flatMap(Base64URL.decode), bytes.count == 32 else { return nil }
                before = bytes
            }
            var checkpoints: [Checkpoint] = []
            for checkpointItem in checkpointItems {
                guard let checkpoint = ChainLine.checkpoint(checkpointItem) else { return nil }
                checkpoints.append(checkpoint)
            }
            proofs.append(RunProof(origin: origin, from: from, before: before, checkpoints: checkpoints))
        }
        return proofs
    }
}
