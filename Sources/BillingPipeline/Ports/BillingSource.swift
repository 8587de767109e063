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
