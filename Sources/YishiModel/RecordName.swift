/// Whose a record is, by its name: a station numbers its records after itself
/// (`topic/HL3-01-2026-0017`, `meeting/HL3-01-2026-H001`), and the central the records it
/// writes for a community after the community (`topic/HL3-W-2026-0001`, what residents raise
/// on the board). So a record's community is known from its name before any op of it is
/// seen, and a station of another community cannot take a name first.
public enum RecordName {
    public enum Owner: Hashable, Sendable {
        case station(String)
        case community(String)
    }

    /// The owner a record's name gives; nil for a name of another shape.
    public static func owner(of record: String) -> Owner? {
        let reference = referenceOf(record)
        // The owner is what comes before `-YYYY-`, the last such year in the name.
        let parts = reference.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3,
              let year = parts.indices.dropFirst().dropLast().last(where: { parts[$0].count == 4 && parts[$0].allSatisfy(\.isASCII) && Int(parts[$0]) != nil })
        else { return nil }
        let prefix = parts[..<year].joined(separator: "-")
        guard !prefix.isEmpty else { return nil }
        if prefix.hasSuffix("-W") { return .community(String(prefix.dropLast(2))) }
        return .station(prefix)
    }
}
