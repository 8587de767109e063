import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Why a file operation failed, in the system's own words ("No space left on device"), not in
/// Foundation's wrapper ("The operation could not be completed. (NSCocoaErrorDomain error 640.)").
public enum FileFailure {
    public static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        guard error.domain == NSCocoaErrorDomain else { return error.localizedDescription }
        return switch CocoaError.Code(rawValue: error.code) {
        case .fileWriteOutOfSpace: String(cString: strerror(ENOSPC))
        case .fileWriteNoPermission, .fileReadNoPermission: String(cString: strerror(EACCES))
        case .fileNoSuchFile, .fileReadNoSuchFile: String(cString: strerror(ENOENT))
        case .fileWriteVolumeReadOnly: String(cString: strerror(EROFS))
        case .fileWriteFileExists: String(cString: strerror(EEXIST))
        case .fileReadTooLarge: String(cString: strerror(EFBIG))
        case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: "it is not text in UTF-8"
        default: "the system refused it (file error \(error.code))"
        }
    }
}

/// The raw day could not be written to its scratch folder, so nothing was stored.
public struct RawDayWriteError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "cannot write the raw day to \(path): \(reason); nothing was stored, so make room there (or make the folder writable) and run the job again"
    }
}
