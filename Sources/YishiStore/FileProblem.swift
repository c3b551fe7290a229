import Foundation

/// Why a file could not be read or written, in words a community worker can act on.
/// Foundation describes these in English ("The operation could not be completed"), and
/// that is what a person at a station would otherwise read.
public enum FileProblem {
    public static func describe(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileWriteNoPermission, .fileReadNoPermission: return "没有读写权限"
            case .fileWriteOutOfSpace: return "磁盘空间已满"
            case .fileNoSuchFile, .fileReadNoSuchFile: return "文件或目录不存在"
            case .fileWriteFileExists: return "同名的文件已存在"
            case .fileWriteVolumeReadOnly: return "磁盘是只读的"
            default: break
            }
            if let posix = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
                return describe(errno: Int32(posix.code))
            }
        }
        if let posix = error as? POSIXError { return describe(errno: posix.code.rawValue) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return describe(errno: Int32(ns.code)) }
        return "读写失败"
    }

    public static func describe(errno code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "没有读写权限"
        case ENOSPC: "磁盘空间已满"
        case ENOENT: "文件或目录不存在"
        case EEXIST: "同名的文件已存在"
        case ENOTDIR: "路径中有一段是文件而不是目录"
        case EISDIR: "这是一个目录，不是文件"
        case EROFS: "磁盘是只读的"
        default: "读写失败（错误码 \(code)）"
        }
    }
}
