import Testing
import YishiTestSupport
@testable import YishiDesk

/// Every cookie a desk sets is HttpOnly and SameSite=Strict; served over HTTPS (the
/// central with its certificate) it is Secure too, so no browser sends it in the clear.
@Suite struct DeskCookieTests {
    @Test func cookiesAreSecureWhenTheDeskIsServedOverHTTPS() throws {
        let folder = TemporaryDirectory()
        let staff = try StaffDirectory(file: folder.path("staff.sqlite"), roles: ["只读"])
        for secure in [false, true] {
            let desk = Desk(staff: staff, pages: try PageRenderer(templates: [:]), name: "街道工作台", nav: [], home: "/office",
                            secureCookies: secure)
            for cookie in [desk.cookie(Desk.sessionCookie, "token", maxAge: 3_600), desk.cookie(Desk.loginCookie, "", maxAge: 0, path: "/login")] {
                #expect(cookie.httpOnly && cookie.sameSite == .strict)
                #expect(cookie.secure == secure)
            }
        }
    }
}
