import Foundation

/// Where a station may send its records. Residents' names, phone numbers and disputes
/// cross this link, so plain `http://` is only for the central on the same box (a demo,
/// a test, a proxy on loopback) unless the station's config says so in as many words.
public enum CentralAddress {
    /// Why `url` may not be used, for people; nil when it may.
    public static func problem(_ url: String, allowPlainHTTP: Bool) -> String? {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            return "中心地址“\(url)”应以 https:// 开头，如 https://yishi.jiedao.local:8443。"
        }
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else {
            return "中心地址“\(url)”里没有主机名，应写成 https://主机名:端口。"
        }
        guard url.hasPrefix("http://"), !allowPlainHTTP, !isLoopback(host) else { return nil }
        return "中心地址“\(url)”是不加密的 http://：居民的姓名、电话和诉求会在网络上明文传输，所以不连。"
            + "请改用 https://（中心上运行 yishi central tls init，站点配置 ca_file），"
            + "或者线路本身已加密（如专用 VPN）时，在站点配置里写 allow_plain_http = true。"
    }

    /// This box itself: 127.0.0.0/8, ::1 or localhost.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare == "localhost" || bare == "::1" { return true }
        var address = in_addr()
        guard inet_pton(AF_INET, bare, &address) == 1 else { return false }
        return UInt32(bigEndian: address.s_addr) >> 24 == 127
    }
}
