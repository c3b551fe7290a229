import YishiMerge
import YishiTrust

/// Something the replica refused or could not do. Every message says what is wrong and
/// what to do, in words a community worker can act on; nothing was changed when it is thrown.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    enum Reason: Sendable {
        case notADataDirectory(path: String, missing: String)
        case alreadyInitialized(path: String)
        case invalidIdentifier(what: String, value: String)
        case journalLine(line: Int, problem: String)
        case journalHeader(path: String)
        case journalShorter(recorded: UInt64, actual: UInt64)
        case bundleLine(file: String, line: Int, problem: String)
        case bundleHeader(file: String, problem: String)
        case bundleTruncated(file: String, declared: Int, found: Int)
        case merge(MergeError, line: Int?)
        case inUse(path: String)
        case io(path: String, problem: String)
        /// A backup or restore refused or failed; the message says what and what to do.
        case backup(String)
        case restoredNeedsSync(made: String)
        /// The person asked a long piece of work to stop (Ctrl+C) and it did, at a safe point.
        case stopped
        /// The street's key or directory could not be taken; the message says why.
        case trust(String)
        /// Ops refused because nothing proves their origin wrote them (or a rule of origin
        /// forbids them); `source` says where they came from, as the refusal's first words.
        case provenance(ProvenanceError, source: Source)
    }

    let reason: Reason

    init(_ reason: Reason) { self.reason = reason }

    /// What a progress report throws when the person asked the work to stop.
    public static let stopped = StoreError(.stopped)

    /// True for `stopped`: the work ended because it was asked to, not because it failed.
    public var isStopped: Bool {
        if case .stopped = reason { return true }
        return false
    }

    public var description: String {
        switch reason {
        case .notADataDirectory(let path, let missing):
            return "“\(path)”不是 Yishi 数据目录（找不到 \(missing)）。新设备请先运行 sudo yishi setup station（或 yishi init --station 站点编号 --community 社区编号），或用 --data 指向正确的目录。"
        case .alreadyInitialized(let path):
            return "“\(path)”已经是一个 Yishi 数据目录，没有做任何改动。若要新建站点，请换一个空目录。"
        case .invalidIdentifier(let what, let value):
            return "\(what)“\(value)”不合格：只能用英文字母、数字、点、下划线和连字符，最长 64 个字符。"
        case .journalLine(let line, let problem):
            return "操作日志第 \(line) 行损坏：\(problem)。副本没有改动。请运行 yishi journal verify 查看详情，并从备份或 U 盘导出文件中恢复这一行。"
        case .journalHeader(let path):
            return "操作日志 \(path) 的第一行不是 Yishi 日志的开头。副本没有改动；请确认数据目录没有被其他文件覆盖。"
        case .journalShorter(let recorded, let actual):
            return "操作日志只有 \(actual) 字节，比副本记录的 \(recorded) 字节短：日志可能被截断或换成了旧备份。副本没有改动；请从备份恢复 journal.jsonl 后再试。"
        case .bundleLine(let file, let line, let problem):
            return "文件 \(file) 第 \(line) 行有问题：\(problem)。整个文件都没有导入，请重新导出后再试。"
        case .bundleHeader(let file, let problem):
            return "文件 \(file) 不是 Yishi 导出文件：\(problem)。没有导入任何内容。"
        case .bundleTruncated(let file, let declared, let found):
            return "文件 \(file) 不完整：应有 \(declared) 条修改，只读到 \(found) 条（拷贝可能被中断）。没有导入任何内容，请重新拷贝。"
        case .merge(let error, let line):
            return (line.map { "第 \($0) 行：" } ?? "") + error.description
        case .inUse(let path):
            return "数据目录 \(path) 正被另一个 yishi 进程使用（例如站点服务）。请先停止它（systemctl stop yishi-station）再重建。"
        case .io(let path, let problem):
            return "无法读写 \(path)：\(problem)。请检查磁盘空间和文件权限。"
        case .backup(let message):
            return message
        case .restoredNeedsSync(let made):
            return "本站数据是从 \(made) 的备份恢复的：中心可能还有本站在备份之后上传的修改。为免修改编号重复，请先与中心同步一次（yishi sync --once，或等站点服务自动同步），之后才能录入。没有做任何改动。"
        case .stopped:
            return "已按要求停止，没有留下做了一半的结果。"
        case .trust(let message):
            return message
        case .provenance(let error, let source):
            return source.refusal(error)
        }
    }
}

extension StoreError {
    /// Where refused ops came from, which decides what the person should do next.
    public enum Source: Sendable {
        case bundle(file: String)
        case central
        case push
        case journal

        func refusal(_ error: ProvenanceError) -> String {
            switch self {
            case .bundle(let file):
                "文件 \(file) 没有导入：\(error)。整个文件都没有导入，本站记录没有任何改动，之后照常同步不受影响；请向导出它的站点重新要一份，或等联网后与中心同步。"
            case .central:
                "从中心收到的修改没有应用：\(error)。本站记录没有改动，下次同步会重新获取；若一再出现，请联系街道技术人员。"
            case .push:
                "上传的修改没有保存：\(error)。"
            case .journal:
                "本地日志里的修改无法核实：\(error)。"
            }
        }
    }

    /// Ops refused for their provenance or a rule of origin, from `source`.
    public static func provenance(_ error: ProvenanceError, source: Source) -> StoreError {
        StoreError(.provenance(error, source: source))
    }

    /// The op a refusal is about, among `ops`: what a central process's view sets aside to
    /// go on (nil when the refusal names none of them).
    public func concerned(among ops: [Op]) -> Op? {
        switch reason {
        case .merge(let error, _): ops.first(where: error.concerns)
        case .provenance(let error, _): error.dot.flatMap { dot in ops.first { $0.dot == dot } }
        default: nil
        }
    }

    /// Whether ops were refused because no replica would apply one of them (a field written
    /// as another kind, a sentence that is not there, a dot used twice, a rule of origin).
    public var isRefusedOp: Bool {
        switch reason {
        case .merge, .provenance: true
        default: false
        }
    }

    /// The refusal inside, when ops were refused for their provenance.
    public var provenance: ProvenanceError? {
        if case .provenance(let error, _) = reason { return error }
        return nil
    }
}
