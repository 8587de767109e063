/// An archive operation that failed; the text names the place and what to check.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case cannotWrite(String, reason: String)
        case cannotRead(String, reason: String)
        case invalidKey(String)
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

    public var description: String {
        switch code {
        case .cannotWrite(let place, let reason):
            return "cannot write the raw archive at \(place): \(reason); check that the folder is writable and has space, or set archive.url in the config"
        case .cannotRead(let place, let reason):
            return "cannot read the raw archive at \(place): \(reason); check the file's permissions"
        case .invalidKey(let key):
            return "'\(key)' is not a valid archive key: keys are relative paths without '.' or '..' parts"
        }
    }
}
