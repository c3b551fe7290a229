import YishiMerge
import YishiSync
import YishiTrust

/// What enrolling a station does, decided from what the registry holds. Both registries,
/// the SQLite one beside a single central and the PostgreSQL one that several central
/// processes share, ask this and carry out its answer in one transaction: the rule and
/// its Chinese refusals live here once.
public enum EnrollmentRule {
    /// What the registry must write.
    public enum Plan: Sendable, Equatable {
        /// A station not seen before.
        case insert
        /// The same key again: only un-revoke it.
        case unchanged
        /// The key is replaced: `retire` is refused from now on.
        case replaceKey(retire: String)
        /// A new box: the old key is retired, the old replica id becomes a former one, and
        /// the new box writes under `replica`, numbering its requests and pulls from the start.
        case newBox(retire: String, replica: String, former: String)

        /// What it did, in words for the person who ran it.
        public var enrollment: StationRegistry.Enrollment {
            switch self {
            case .insert: .new
            case .unchanged: .unchanged
            case .replaceKey: .keyReplaced
            case let .newBox(_, replica, former): .newBox(replica: replica, former: former)
            }
        }
    }

    /// Checks the request itself, before the registry is read.
    public static func check(id: String, community: String, publicKey: String) throws {
        guard StationKey.isValidPublicKey(publicKey) else {
            throw SyncSetupError("公钥“\(publicKey)”不对：请在站点上运行 yishi key，把它打印的那一行完整复制过来。")
        }
        guard ReplicaID.isValid(id), ReplicaID.isValid(community) else {
            throw SyncSetupError("站点编号和社区编号只能用英文字母、数字、点、下划线和连字符，例如 HL3-01、HL3。")
        }
        // The street's own origins are named `central…` (YishiTrust.StreetOrigin): a station
        // of that name could pass its ops off as the street's.
        guard !ReplicaID.isCentralName(id), !ReplicaID.isCentralName(community) else {
            throw SyncSetupError("站点编号和社区编号不能以 central 开头（这是街道中心自己的名字），请换一个，例如 HL3-01、HL3。")
        }
    }

    /// Decides, given the station as enrolled (nil: never), the station that once used
    /// this key and retired it (nil: none), and the replica ids already taken (asked only
    /// for a new box).
    public static func plan(id: String, community: String, publicKey: String, newBox: Bool, existing: StationRegistry.Station?,
                            retiredBy: String?, taken: () throws -> Set<String>) throws -> Plan {
        if let retiredBy {
            throw SyncSetupError("这把公钥是站点 \(retiredBy) 已经停用的旧密钥，不能再登记。请在站点上运行 yishi key rotate 生成新密钥，再登记它打印的公钥。")
        }
        guard let existing else {
            if newBox { throw SyncSetupError("站点 \(id) 还没有登记过，不是更换设备：请去掉“更换设备”再登记。") }
            return .insert
        }
        guard existing.community == community else {
            throw SyncSetupError("站点 \(id) 登记在社区 \(existing.community)，不能改到 \(community)。若是新站点，请换一个站点编号。")
        }
        if newBox {
            guard existing.publicKey != publicKey else {
                throw SyncSetupError("新设备要用它自己的密钥：请在新设备上运行 yishi init … --from-central，把它打印的公钥登记在这里。")
            }
        } else if existing.publicKey == publicKey {
            return .unchanged
        }
        guard newBox else { return .replaceKey(retire: existing.publicKey) }
        let used = try taken()
        var number = 2
        while used.contains("\(id).\(number)") { number += 1 }
        return .newBox(retire: existing.publicKey, replica: "\(id).\(number)", former: existing.replica)
    }

    /// Revoking a station that was never enrolled.
    public static func notEnrolled(_ id: String) -> SyncSetupError { SyncSetupError("没有登记过站点 \(id)。") }
}
