import YishiMerge
import YishiModel

/// What this build is. `version` is the one place the release is numbered: `yishi
/// --version` prints it, and `scripts/package` asks the built binary for it, so the
/// package and the program can never disagree.
enum Release {
    static let version = "1.0.0"

    /// `yishi --version`: the release, and the record format it reads and writes, which is
    /// what decides whether two boxes can sync (the wire's schema) and what an older box
    /// shows as newer content (the model's revision).
    static var description: String {
        """
        yishi \(version)
        数据格式：schema \(Op.currentSchema)，修订 \(Schema.revision)（读写修订 0–\(Schema.revision) 的记录；更新修订的内容原样保存并转发）
        """
    }
}
