import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal for a child's standard error, so a test sees what a person at a
/// terminal sees (the live progress line) and can press Ctrl+C as they would.
final class Terminal {
    let master: Int32
    /// Give this to the child as its standard error.
    let slave: FileHandle
    private(set) var output: [UInt8] = []

    init(columns: UInt16 = 100) throws {
        // posix_openpt and friends are hidden from Swift's Glibc module; they are these
        // documented Linux calls (pts(4)): open the multiplexer, unlock, ask the number.
        let getNumber: UInt = 0x8004_5430  // TIOCGPTN
        let setLock: UInt = 0x4004_5431  // TIOCSPTLCK
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, setLock, &unlock) == 0, ioctl(master, getNumber, &number) == 0 else {
            throw CocoaError(.fileNoSuchFile)
        }
        let descriptor = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { throw CocoaError(.fileNoSuchFile) }
        var size = winsize(ws_row: 30, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(descriptor, UInt(TIOCSWINSZ), &size)
        slave = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    deinit { close(master) }

    var text: String { String(decoding: output, as: UTF8.self) }

    /// Reads what the child has drawn until `done` holds or `seconds` pass.
    @discardableResult
    func read(seconds: Double, until done: (String) -> Bool = { _ in false }) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while Date() < end {
            if done(text) { return true }
            var ready = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 50) > 0 else { continue }
            let count = Glibc.read(master, &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        return done(text)
    }
}
