/// YishiStation: the station daemon — the sync loop driven by the sync engine, talking to
/// systemd (readiness, watchdog, stopping) and stopping cleanly on SIGTERM.
import Foundation

/// sd_notify, spoken directly: one datagram per message to the Unix socket systemd names
/// in NOTIFY_SOCKET (a path, or an abstract name starting with "@"). Does nothing when
/// not run by systemd.
public struct SystemdNotifier: Sendable {
    let socketPath: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Half the watchdog interval systemd asked for, in seconds, if it asked.
    public static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Double? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Double(text), microseconds > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], pid != String(getpid()) { return nil }
        return microseconds / 1_000_000 / 2
    }

    public func ready(_ status: String) { send("READY=1\nSTATUS=\(status)") }
    public func watchdog() { send("WATCHDOG=1") }
    public func status(_ status: String) { send("STATUS=\(status)") }
    public func stopping() { send("STOPPING=1") }

    func send(_ message: String) {
        guard let path = socketPath else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withCString { text in sendto(descriptor, text, strlen(text), 0, socketAddress, length) }
            }
        }
    }
}
