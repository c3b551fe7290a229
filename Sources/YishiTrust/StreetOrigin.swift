import YishiMerge

/// The street's own origins: `central.HL3` (a single central's writes for HL3) and
/// `central-1a2b3c4d.HL3` (a central process's on a shared database). Their ops are signed by
/// the street's key, and only they may set the street's fields. No station may be enrolled
/// under a name beginning with `central` (EnrollmentRule refuses it), so the name alone
/// tells a street origin from a station's.
extension ReplicaID {
    public var isStreet: Bool { Self.isCentralName(rawValue) }

    /// The community a street origin writes for (what follows its first dot), nil for a
    /// station's origin or a street name without one.
    public var streetCommunity: String? {
        guard isStreet, let dot = rawValue.firstIndex(of: "."), rawValue.index(after: dot) < rawValue.endIndex else { return nil }
        return String(rawValue[rawValue.index(after: dot)...])
    }

    /// Names a station may not take: the central's own and every name beginning with it.
    public static func isCentralName(_ name: String) -> Bool { name.lowercased().hasPrefix("central") }
}
