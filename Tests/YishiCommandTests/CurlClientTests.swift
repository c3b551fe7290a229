import Foundation
import Testing
import YishiSync
import YishiTestSupport

/// The libcurl client tells apart every way a request can fail, against real endpoints on
/// 127.0.0.1: that is what lets the sync engine back off, give up as offline, or stop and
/// ask a person.
@Suite struct CurlClientTests {
    func failure(_ url: String, configuration: CurlClient.Configuration = .init()) -> SyncFailure? {
        do {
            _ = try CurlClient(configuration: configuration).post(url, headers: [], body: [])
            return nil
        } catch {
            return error
        }
    }

    @Test func aClosedPortIsUnreachable() {
        #expect(failure("http://127.0.0.1:\(freePort())/v1/push") == .unreachable)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        // Listening (so the connection is accepted by the kernel) but never reading or answering.
        let (listener, port) = listeningSocket()
        defer { close(listener) }
        var configuration = CurlClient.Configuration()
        configuration.timeout = 2
        #expect(failure("http://127.0.0.1:\(port)/v1/push", configuration: configuration) == .timeout)
    }

    /// A server that promises 100 bytes, sends 3 and hangs up: a cut-off answer.
    @Test func aTruncatedAnswerIsABadBody() throws {
        let (listener, port) = listeningSocket()
        defer { close(listener) }
        Thread.detachNewThread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var request = [UInt8](repeating: 0, count: 65_536)
            _ = recv(connection, &request, request.count, 0)
            let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc".utf8)
            _ = send(connection, answer, answer.count, 0)
            close(connection)
        }
        #expect(failure("http://127.0.0.1:\(port)/v1/pull") == .badBody)
    }

    @Test func tlsAgainstAPlainServerAndAnHTTPErrorAreToldApart() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let https = server.url.replacingOccurrences(of: "http://", with: "https://")
        guard case .tls(let why) = failure(https + "/v1/push") else { Issue.record("not a TLS failure"); return }
        #expect(why.contains("没有用 HTTPS 应答"), "\(why)")
        let missing = try CurlClient().post(server.url + "/v1/nothing-here", headers: [], body: [])
        #expect(missing.status == 404)
        let unsigned = try CurlClient().post(server.url + "/v1/push", headers: [], body: [])
        #expect(unsigned.status == 401)
        #expect(WireFormat.decode(WireFormat.Refusal.self, unsigned.body)?.reason == "unsigned")
    }
}
