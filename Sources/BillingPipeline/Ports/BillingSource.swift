import BillingCore
import BillingWire

/// Where billing rows come from: the Kakao Cloud Billing API, or anything that speaks its contract.
public protocol BillingSource: Sendable {
    /// Fetches every row metered on `day`, folding each page into `aggregator` as it arrives and then
    /// handing the page's bytes to `onPage` (to archive them), so no more than one page is held.
    ///
    /// Throws on a malformed page, having folded part of the day: a caller that writes only after the
    /// last page, and drops the aggregator on error, never stores a partial day.
    func fetchCosts(
        for day: CalendarDay, into aggregator: inout DailyAggregator, onPage: (BillingPage) async throws -> Void
    ) async throws -> FetchSummary
}

/// One page of a day's rows: the exact body the source sent.
public struct BillingPage: Sendable {
    public var number: Int
    public var body: [UInt8]

    public init(number: Int, body: [UInt8]) {
        self.number = number
        self.body = body
    }
}

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
