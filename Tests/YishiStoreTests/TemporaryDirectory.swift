import Foundation
import YishiStore

/// A fresh directory under the system temp folder, removed when the test is done.
final class TemporaryDirectory {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("yishi-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func dataDirectory(_ name: String) -> DataDirectory { DataDirectory(url.appendingPathComponent(name)) }
}
