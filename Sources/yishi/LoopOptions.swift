import ArgumentParser
import Foundation
import YishiDeliberation
import YishiMerge
import YishiModel
import YishiStore

/// What every command of the deliberation loop needs: the replica, the community's rules,
/// the time, who is acting, and how to print.
struct LoopOptions: ParsableArguments {
    @OptionGroup var data: DataOptions
    @OptionGroup var author: AuthorOptions
    @OptionGroup var output: OutputOptions

    func open() throws -> Deliberation {
        let replica = try data.open()
        let rules = try RulesFile.load(from: replica.directory.url)
        let now = try Self.now()
        return Deliberation(replica: replica, rules: rules, now: { now ?? LocalDateTime(milliseconds: WallTime.now.milliseconds) })
    }

    /// YISHI_NOW pretends it is another time (`2026-11-20 09:00`): for rehearsing a
    /// meeting's timeline and for tests. Everything else uses the box's clock.
    static func now() throws -> LocalDateTime? {
        guard let text = ProcessInfo.processInfo.environment["YISHI_NOW"], !text.isEmpty else { return nil }
        guard let time = LocalDateTime(text) else { throw CommandError("YISHI_NOW 应写成 2026-11-20 09:00 这样的时间，现在是“\(text)”。") }
        return time
    }
}

/// Parses what a person typed as a date or a time, explaining what is wrong.
enum Parse {
    static func date(_ text: String, _ what: String) throws -> LocalDate {
        guard let date = LocalDate(text) else {
            throw CommandError("\(what)“\(text)”不是有效日期：请写成 2026-12-31 这样的格式，并确认这一天存在。")
        }
        return date
    }

    static func dateTime(_ text: String, _ what: String) throws -> LocalDateTime {
        guard let time = LocalDateTime(text) else {
            throw CommandError("\(what)“\(text)”不是有效时间：请写成 2026-11-25 14:30 这样的格式，并确认这一天存在。")
        }
        return time
    }
}
