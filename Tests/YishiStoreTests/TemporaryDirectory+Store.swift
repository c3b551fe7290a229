import YishiStore
import YishiTestSupport

extension TemporaryDirectory {
    func dataDirectory(_ name: String) -> DataDirectory { DataDirectory(path(name)) }
}
