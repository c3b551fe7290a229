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

    @Test func tlsAgainstAPlainServerAndAnHTTPErrorAreToldApart() throws {
        let folder = TemporaryDirectory()
        let central = try CentralUnderTest(folder.path("central"))
        let server = try CentralProcess(data: central.data)
        defer { server.stop() }
        let https = server.url.replacingOccurrences(of: "http://", with: "https://")
        #expect(failure(https + "/v1/push") == .tls)
        let missing = try CurlClient().post(server.url + "/v1/nothing-here", headers: [], body: [])
        #expect(missing.status == 404)
        let unsigned = try CurlClient().post(server.url + "/v1/push", headers: [], body: [])
        #expect(unsigned.status == 401)
        #expect(WireFormat.decode(WireFormat.Refusal.self, unsigned.body)?.reason == "unsigned")
    }
}
