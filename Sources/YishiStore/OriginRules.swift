import YishiMerge
import YishiModel
import YishiTrust

/// The rules every new op a replica takes must keep, whatever the path (a local edit, a
/// pull, an import, a push at the central): it holds no more than a form would take
/// (`OpLimits`) and writes a field of the model as the model's kind; a station's replica holds only its own
/// community's ops; the street writes only for the community its origin names; a record
/// stays in the community of its first op; and only the street sets the street's fields,
/// except what a box wrote before it signed, under the rules of the time (the directory's
/// `legacy`). A journal replayed is not checked again: it holds what was taken.
public struct OriginRules: Sendable {
    /// The replica's community (`central` at the central, which holds every one).
    public var community: String
    /// Whether to check the street's fields, and the directory that says which ops of a box
    /// came before it signed (nil: none did — a local edit).
    public var streetFields: Bool
    public var directory: KeyDirectory?

    var holdsEveryCommunity: Bool { community == "central" }

    public func check(_ op: Op, recordScope: () throws -> String?) throws {
        try OpLimits.check(op)
        // A field the model knows is written as the model's kind (a newer build adds fields,
        // it never changes one's kind).
        if let spec = Schema.type(ofRecord: op.record)?.field(op.field), spec.rule.rawValue != op.kind.rawValue {
            throw ProvenanceError.wrongKind(op.dot, record: op.record, field: op.field, expected: spec.rule.rawValue)
        }
        let origin = op.dot.replica
        if !holdsEveryCommunity && op.scope != community {
            throw ProvenanceError.otherCommunity(op.dot, record: op.record, community: op.scope)
        }
        if let street = origin.streetCommunity, street != op.scope {
            throw ProvenanceError.otherCommunity(op.dot, record: op.record, community: op.scope)
        }
        if streetFields, !origin.isStreet, let label = Schema.streetOnlyLabel(record: op.record, field: op.field),
           directory?.isLegacy(origin, counter: op.dot.counter) != true {
            throw ProvenanceError.streetOnly(op.dot, field: label)
        }
        // At a station every op is of its one community already (above).
        if holdsEveryCommunity, let scope = try recordScope(), scope != op.scope {
            throw ProvenanceError.otherCommunity(op.dot, record: op.record, community: scope)
        }
    }
}

extension OriginRules {
    public init(community: String, directory: KeyDirectory) {
        self.init(community: community, streetFields: true, directory: directory)
    }
}
