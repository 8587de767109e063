/// An archive operation that failed; the text names the place and what to check.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case cannotWrite(String, reason: String)
        case cannotRead(String, reason: String)
        case invalidKey(String)
        case invalidEndpoint(String)
        case unreachable(String, reason: String)
        case tooLarge(String, limit: Int)
        case s3(status: Int, code: String?, action: String, target: String)
    }

    private let code: Code

    static func cannotWrite(_ place: String, reason: String) -> ArchiveError {
        ArchiveError(code: .cannotWrite(place, reason: reason))
    }

    static func cannotRead(_ place: String, reason: String) -> ArchiveError {
        ArchiveError(code: .cannotRead(place, reason: reason))
    }

    static func invalidKey(_ key: String) -> ArchiveError {
        ArchiveError(code: .invalidKey(key))
    }

    static func invalidEndpoint(_ endpoint: String) -> ArchiveError {
        ArchiveError(code: .invalidEndpoint(endpoint))
    }

    static func unreachable(_ target: String, reason: String) -> ArchiveError {
        ArchiveError(code: .unreachable(target, reason: reason))
    }

    static func tooLarge(_ path: String, limit: Int) -> ArchiveError {
        ArchiveError(code: .tooLarge(path, limit: limit))
    }

    static func s3(status: Int, code: String?, action: String, target: String) -> ArchiveError {
        ArchiveError(code: .s3(status: status, code: code, action: action, target: target))
    }

    /// Whether the same operation may succeed later without a change of configuration.
    public var isRetryable: Bool {
        switch code {
        case .unreachable: return true
        case .s3(let status, let code, _, _): return status >= 500 || status == 429 || code == "SlowDown"
        default: return false
        }
    }

    public var description: String {
        switch code {
        case .cannotWrite(let place, let reason):
            return "cannot write the raw archive at \(place): \(reason); check that the folder is writable and has space, or set archive.url in the config"
        case .cannotRead(let place, let reason):
            return "cannot read the raw archive at \(place): \(reason); check the file's permissions"
        case .invalidKey(let key):
            return "'\(key)' is not a valid archive key: keys are relative paths without '.' or '..' parts"
        case .invalidEndpoint(let endpoint):
            return "objectStorage.endpoint '\(endpoint)' is not an http(s) URL; use e.g. https://objectstorage.kr-central-2.kakaocloud.com"
        case .unreachable(let target, let reason):
            return "cannot reach Object Storage (\(target)): \(reason); check objectStorage.endpoint and the network"
        case .tooLarge(let path, let limit):
            let size = limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes"
            return "Object Storage's answer for \(path) is larger than \(size); it was not read"
        case .s3(let status, let code, let action, let target):
            let said = code.map { " (\($0))" } ?? ""
            let hint: String
            switch code {
            case "SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "InvalidSecurity":
                hint = "check objectStorage.accessKey and objectStorage.secretKey (or OBJECT_STORAGE_ACCESS_KEY and OBJECT_STORAGE_SECRET_KEY), and objectStorage.region"
            case "NoSuchBucket":
                hint = "create the bucket, or fix objectStorage.bucket / archive.url"
            default:
                hint = status >= 500 ? "Object Storage failed on its side; run again later" : "check the objectStorage settings"
            }
            return "Object Storage refused to \(action) in \(target): HTTP \(status)\(said); \(hint)"
        }
    }
}
