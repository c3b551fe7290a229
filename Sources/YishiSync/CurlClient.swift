import CCurl
import Foundation

/// An HTTP response, as far as sync needs one.
public struct CurlResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// The body's size as it crossed the network (before curl decompressed it).
    public var wireBytes = 0
}

/// The sync client: libcurl itself, so that every way a request can fail is told apart
/// (unreachable, timed out, too slow, TLS, HTTP status, cut-off body) and drives the sync
/// engine, and so that timeouts, the low-speed limit, the CA file and compression are
/// exactly what the station's config says.
public struct CurlClient: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var connectTimeout = 10
        /// Seconds for a whole request.
        public var timeout = 120
        /// Below `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds counts as a timeout: a
        /// link that has stalled is not waited out to the full timeout.
        public var lowSpeedLimit = 100
        public var lowSpeedTime = 30
        /// A CA bundle for verifying the central's certificate; the system's when nil.
        public var caFile: String?

        public init() {}
    }

    public let configuration: Configuration

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        _ = Self.globalInit
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Sends a POST and waits for the answer. Blocking: call it off the event loop.
    public func post(_ url: String, headers: [(String, String)], body: [UInt8]) throws(SyncFailure) -> CurlResponse {
        guard let handle = curl_easy_init() else { throw .unreachable }
        defer { curl_easy_cleanup(handle) }

        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers + [("Content-Type", "application/x-ndjson"), ("Content-Encoding", "gzip"), ("Expect", "")] {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        defer { curl_slist_free_all(list) }
        // curl's own words on a failure (which certificate check failed, and why).
        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorText.deallocate() }

        let code: CURLcode = url.withCString { urlPointer in
            body.withUnsafeBytes { bodyPointer in
                _ = yishi_curl_setopt_string(handle, CURLOPT_URL, urlPointer)
                _ = yishi_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorText))
                _ = yishi_curl_setopt_long(handle, CURLOPT_POST, 1)
                _ = yishi_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bodyPointer.baseAddress))
                _ = yishi_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
                _ = yishi_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))
                _ = yishi_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, configuration.connectTimeout)
                _ = yishi_curl_setopt_long(handle, CURLOPT_TIMEOUT, configuration.timeout)
                _ = yishi_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedLimit)
                _ = yishi_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, configuration.lowSpeedTime)
                _ = yishi_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                _ = yishi_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
                _ = yishi_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
                // Accept any encoding curl can decode; the central gzips what it sends.
                _ = yishi_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
                _ = yishi_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
                _ = yishi_curl_setopt_write(handle) { data, size, count, context in
                    let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
                    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
                    sink.bytes.append(contentsOf: bytes)
                    return size * count
                }
                if let caFile = configuration.caFile {
                    return caFile.withCString { path in
                        _ = yishi_curl_setopt_string(handle, CURLOPT_CAINFO, path)
                        return curl_easy_perform(handle)
                    }
                }
                return curl_easy_perform(handle)
            }
        }
        guard code == CURLE_OK else { throw Self.failure(code, detail: String(cString: errorText)) }
        var status = 0
        _ = yishi_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var downloaded: curl_off_t = 0
        _ = yishi_curl_getinfo_offset(handle, CURLINFO_SIZE_DOWNLOAD_T, &downloaded)
        return CurlResponse(status: status, body: sink.bytes, wireBytes: Int(downloaded))
    }

    static func failure(_ code: CURLcode, detail: String = "") -> SyncFailure {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR:
            .tls(tlsReason(code, detail))
        case CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_BAD_CONTENT_ENCODING,
             CURLE_WRITE_ERROR:
            .badBody
        default: .unreachable
        }
    }

    /// curl's (OpenSSL's) reason, in the words a person acts on.
    static func tlsReason(_ code: CURLcode, _ detail: String) -> String {
        let text = detail.lowercased()
        if code == CURLE_SSL_CACERT_BADFILE { return "读不出 CA 文件（\(detail)）" }
        if text.contains("subject name") || text.contains("does not match") || text.contains("host name") {
            return "证书上的名称与中心地址不符，证书不是为这个地址签发的（\(detail)）"
        }
        if text.contains("expired") { return "中心的证书已过期（\(detail)）" }
        if text.contains("not yet valid") { return "中心的证书尚未生效，请检查两边的时钟（\(detail)）" }
        if text.contains("issuer") || text.contains("self signed") || text.contains("self-signed") || text.contains("unknown ca")
            || text.contains("signature") {
            return "中心的证书不是由站点信任的 CA 签发的（\(detail)）"
        }
        if text.contains("wrong version number") || text.contains("packet length") {
            return "中心没有用 HTTPS 应答，可能地址写成了 https 而中心只开了 http（\(detail)）"
        }
        return detail.isEmpty ? "未能建立加密连接" : "未能建立加密连接（\(detail)）"
    }
}
