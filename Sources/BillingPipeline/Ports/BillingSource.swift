import BillingCore

/// Where billing rows come from: the Kakao Cloud Billing API, or anything that speaks its contract.
public protocol BillingSource: Sendable {
    /// Fetches every row metered on `day`, handing each page to `onPage` as it arrives.
    ///
    /// Throws before `onPage` sees a malformed page, so a caller that writes only after the last page
    /// never stores a partial day.
    func fetchCosts(
        for day: CalendarDay, onPage: (BillingPage) async throws -> Void
    ) async throws -> FetchSummary
}

/// One page of a day's rows: the exact body the source sent, and its rows.
public struct BillingPage: Sendable {
    public var number: Int
    public var body: [UInt8]
    public var rows: [BillingRow]

    public init(number: Int, body: [UInt8], rows: [BillingRow]) {
        self.number = number
        self.body = body
        self.rows = rows
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
