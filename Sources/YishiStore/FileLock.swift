import Foundation

/// An advisory `flock` on the data directory's lock file. Ordinary commands and the daemon
/// share it, waiting while a rebuild runs; rebuild, which swaps the database file, needs it
/// alone and gives up at once if anyone else holds it.
final class FileLock: @unchecked Sendable {
    private let descriptor: Int32

    init(_ url: URL, exclusive: Bool) throws(StoreError) {
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError(.io(path: url.path, problem: String(cString: strerror(errno)))) }
        guard flock(descriptor, exclusive ? LOCK_EX | LOCK_NB : LOCK_SH) == 0 else {
            close(descriptor)
            throw StoreError(.inUse(path: url.deletingLastPathComponent().path))
        }
    }

    deinit { close(descriptor) }
}
