import Foundation
import YishiMerge

/// The append-only JSON Lines journal.
///
/// Appends are written and fsynced before the SQLite transaction that records them
/// commits, so the journal is always at least as far along as the database. The database
/// stores how many journal bytes it has absorbed; anything beyond that on open is the tail
/// of a write that was cut off, and is replayed (complete lines) or cut (a torn last line,
/// which no one was ever told had been saved).
struct Journal: Sendable {
    let url: URL
    /// `url.path`, once: Foundation builds the string anew on every call, which cost a
    /// staff member's edit (one `stat` and one `open`) about 3 % of its instructions.
    private let path: String

    init(url: URL) {
        self.url = url
        path = url.path
    }

    struct Header: Sendable {
        var replica: ReplicaID
        var community: String
        /// Only when it differs from the replica id (a replacement box): see `Replica.station`.
        var station: String?
    }

    struct Line: Sendable {
        var offset: UInt64
        var bytes: ArraySlice<UInt8>
        /// 1-based, counting the header line, as an editor shows it.
        var number: Int
    }

    static func headerLine(_ header: Header) -> String {
        "{\"yishi\":\"journal\",\"version\":1,\"replica\":\(JSONText.quote(header.replica.rawValue)),"
            + "\"community\":\(JSONText.quote(header.community))"
            + (header.station.map { ",\"station\":\(JSONText.quote($0))" } ?? "") + "}\n"
    }

    static func parseHeader(_ bytes: ArraySlice<UInt8>) -> Header? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              object["yishi"] as? String == "journal",
              let replica = (object["replica"] as? String).flatMap(ReplicaID.init(rawValue:)),
              let community = object["community"] as? String
        else { return nil }
        return Header(replica: replica, community: community, station: object["station"] as? String)
    }

    func create(_ header: Header) throws(StoreError) {
        let descriptor = try openFile(O_WRONLY | O_CREAT | O_EXCL)
        defer { close(descriptor) }
        try writeAll(descriptor, Array(Self.headerLine(header).utf8))
        try sync(descriptor)
    }

    func size() throws(StoreError) -> UInt64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ioError() }
        return UInt64(info.st_size)
    }

    /// Appends whole lines at `offset`, which must be the current end of the file: the
    /// caller holds the database write lock, so no other process can be appending.
    func append(_ bytes: [UInt8], at offset: UInt64) throws(StoreError) {
        guard !bytes.isEmpty else { return }
        let descriptor = try openFile(O_WRONLY)
        defer { close(descriptor) }
        guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else { throw ioError() }
        try writeAll(descriptor, bytes)
        try sync(descriptor)
    }

    func truncate(to length: UInt64) throws(StoreError) {
        guard Glibc.truncate(path, off_t(length)) == 0 else { throw ioError() }
    }

    func read(from offset: UInt64, length: Int? = nil) throws(StoreError) -> [UInt8] {
        let descriptor = try openFile(O_RDONLY)
        defer { close(descriptor) }
        let total = Int(try size()) - Int(offset)
        let count = min(length ?? total, max(total, 0))
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(Int(offset) + done))
            }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw ioError() }
            done += got
        }
        return buffer
    }

    /// The lines at the given places, as text, in the order given. Sync reads a batch of
    /// thousands this way: the lines lie mostly together, so one read of the span they
    /// cover beats a read (and an open) per line, unless other ops between them make the
    /// span large.
    func lines(at places: [(offset: UInt64, length: Int)]) throws(StoreError) -> [String] {
        guard let start = places.lazy.map(\.offset).min(),
              let end = places.lazy.map({ $0.offset + UInt64($0.length) }).max()
        else { return [] }
        if end - start <= Self.spanLimit {
            let span = try read(from: start, length: Int(end - start))
            return places.map { place in
                let offset = Int(place.offset - start)
                return String(decoding: span[offset..<(offset + place.length)], as: UTF8.self)
            }
        }
        var lines: [String] = []
        for place in places {
            lines.append(String(decoding: try read(from: place.offset, length: place.length), as: UTF8.self))
        }
        return lines
    }

    static let spanLimit: UInt64 = 16_000_000

    /// Splits bytes read from `offset` into complete lines; also returns the length of a
    /// torn last line (bytes after the final newline), if any.
    static func lines(_ bytes: [UInt8], startingAt offset: UInt64, firstNumber: Int) -> (lines: [Line], tornBytes: Int) {
        var lines: [Line] = []
        var start = 0
        var number = firstNumber
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            lines.append(Line(offset: offset + UInt64(start), bytes: bytes[start..<newline], number: number))
            number += 1
            start = newline + 1
        }
        return (lines, bytes.count - start)
    }

    private func openFile(_ flags: Int32) throws(StoreError) -> Int32 {
        let descriptor = open(path, flags | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ioError() }
        return descriptor
    }

    private func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { raw in write(descriptor, raw.baseAddress! + done, bytes.count - done) }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { throw ioError() }
            done += wrote
        }
    }

    /// fdatasync: the bytes and the new length reach the disk; timestamps need not.
    private func sync(_ descriptor: Int32) throws(StoreError) {
        guard fdatasync(descriptor) == 0 else { throw ioError() }
    }

    private func ioError() -> StoreError {
        StoreError(.io(path: path, problem: String(cString: strerror(errno))))
    }
}
