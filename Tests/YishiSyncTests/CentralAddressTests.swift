import Testing
import YishiSync

/// Which central addresses a station may send residents' records to (pure rule).
@Suite struct CentralAddressTests {
    @Test(arguments: ["https://10.0.0.5:8443", "https://yishi.jiedao.local", "http://127.0.0.1:8080", "http://127.8.0.1:8080",
                      "http://localhost:8080", "http://[::1]:8080"])
    func allowed(url: String) {
        #expect(CentralAddress.problem(url, allowPlainHTTP: false) == nil)
    }

    @Test(arguments: ["http://10.0.0.5:8080", "http://yishi.jiedao.local:8080", "http://128.0.0.1", "http://[2001:db8::1]:8080",
                      "http://localhost.evil.example"])
    func plainToAnotherMachineIsRefusedUnlessAllowed(url: String) {
        #expect(CentralAddress.problem(url, allowPlainHTTP: false)?.contains("allow_plain_http = true") == true)
        #expect(CentralAddress.problem(url, allowPlainHTTP: true) == nil)
    }

    @Test(arguments: ["ftp://10.0.0.5", "10.0.0.5:8080", "https://", ""])
    func notAnAddress(url: String) {
        #expect(CentralAddress.problem(url, allowPlainHTTP: true) != nil)
    }
}
