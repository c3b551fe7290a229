import Foundation
import YishiMerge
import YishiTrust

/// A journal line that is not an op: a checkpoint the replica received with ops (it relays
/// it with them later), or an anchor, the head before a run it took after a gap (so that
/// run can be proved again). Kept in the journal, in the same append as the ops they vouch
/// for, so that a rebuild from the journal has them too. Op lines begin `{"dot":`; these
/// begin `{"checkpoint":` or `{"anchor":`.
enum ChainLine: Sendable, Equatable {
    case checkpoint(Checkpoint)
    case anchor(origin: ReplicaID, counter: UInt64, head: [UInt8])

    static let checkpointPrefix = Array("{\"checkpoint\":".utf8)
    static let anchorPrefix = Array("{\"anchor\":".utf8)

    /// Whether a journal line is one of these rather than an op.
    static func isChainLine(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: checkpointPrefix) || bytes.starts(with: anchorPrefix)
    }

    var bytes: [UInt8] {
        switch self {
        case .checkpoint(let point):
            Array(("{\"checkpoint\":{\"origin\":\"\(point.origin.rawValue)\",\"counter\":\(point.counter),"
                + "\"head\":\"\(Base64URL.encode(point.head))\",\"key\":\(JSONText.quote(point.key.rawValue)),"
                + "\"signature\":\"\(Base64URL.encode(point.signature))\"}}").utf8)
        case .anchor(let origin, let counter, let head):
            Array("{\"anchor\":{\"origin\":\"\(origin.rawValue)\",\"counter\":\(counter),\"head\":\"\(Base64URL.encode(head))\"}}".utf8)
        }
    }

    init?(_ bytes: some Collection<UInt8>) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        if let point = object["checkpoint"] as? [String: Any] {
            guard let checkpoint = Self.checkpoint(point) else { return nil }
            self = .checkpoint(checkpoint)
        } else if let anchor = object["anchor"] as? [String: Any] {
            guard let origin = (anchor["origin"] as? String).flatMap(ReplicaID.init(rawValue:)),
                  let counter = (anchor["counter"] as? NSNumber)?.uint64Value, counter > 0,
                  let head = (anchor["head"] as? String).flatMap(Base64URL.decode), head.count == 32
            else { return nil }
            self = .anchor(origin: origin, counter: counter, head: head)
        } else {
            return nil
        }
    }

    /// A checkpoint as bundles and journals write it; nil when any part is missing or wrong.
    static func checkpoint(_ object: [String: Any]) -> Checkpoint? {
        guard let origin = (object["origin"] as? String).flatMap(ReplicaID.init(rawValue:)),
              let counter = (object["counter"] as? NSNumber)?.uint64Value, counter > 0,
              let head = (object["head"] as? String).flatMap(Base64URL.decode), head.count == 32,
              let key = object["key"] as? String, !key.isEmpty,
              let signature = (object["signature"] as? String).flatMap(Base64URL.decode), signature.count == 64
        else { return nil }
        return Checkpoint(origin: origin, counter: counter, head: head, key: KeyID(rawValue: key), signature: signature)
    }
}
