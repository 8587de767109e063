import Foundation

/// The archive could not take a day, but its raw data is safe in a local spool and will be uploaded by
/// a later run. The run goes on and reports this at the end.
public struct ArchiveDeferred: Error, Sendable, CustomStringConvertible {
    public var key: String
    /// Where the data waits, a local path.
    public var spooledAt: String
    public var reason: String

    public init(key: String, spooledAt: String, reason: String) {
        self.key = key
        self.spooledAt = spooledAt
        self.reason = reason
    }

    public var description: String {
        "the archive step failed: \(reason). The raw data is kept at \(spooledAt), and the next run uploads it"
    }
}
