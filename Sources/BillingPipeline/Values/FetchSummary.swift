import BillingCore
import BillingWire

/// What a fetch did, for the archive's metadata and the job's report.
public struct FetchSummary: Sendable, Hashable {
    public var pageCount: Int
    public var rowCount: Int
    public var pageSize: Int
    /// The endpoint, without credentials.
    public var endpoint: String

    public init(pageCount: Int, rowCount: Int, pageSize: Int, endpoint: String) {
        self.pageCount = pageCount
        self.rowCount = rowCount
        self.pageSize = pageSize
        self.endpoint = endpoint
    }
}
