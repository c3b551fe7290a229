import Foundation

/// A real NOTIFY_SOCKET, as systemd would provide: a Unix datagram socket the daemon
/// writes its READY=1 / WATCHDOG=1 / STOPPING=1 to.
final class NotifySocket {
    let path: String
    private let descriptor: Int32

    init(directory: URL) throws {
        path = directory.appendingPathComponent("notify.sock").path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Waits up to `seconds` for a message containing `text`; returns every message seen.
    func await(_ text: String, seconds: Double) -> [String] {
        var seen: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let message = String(decoding: buffer.prefix(count), as: UTF8.self)
            seen.append(message)
            if message.contains(text) { return seen }
        }
        return seen
    }
}

/// A TCP socket listening on 127.0.0.1 at a port the system chose; the caller closes it.
func listeningSocket() -> (descriptor: Int32, port: Int) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            _ = bind(descriptor, socketAddress, length)
            _ = listen(descriptor, 8)
            return getsockname(descriptor, socketAddress, &length)
        }
    }
    return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
}

/// A TCP port nothing listens on right now.
func freePort() -> Int {
    let (descriptor, port) = listeningSocket()
    close(descriptor)
    return port
}
