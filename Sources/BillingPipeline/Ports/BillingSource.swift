import BillingCore
import BillingWire

/// Where billing rows come from: the Kakao Cloud Billing API, or anything that speaks its contract.
public protocol BillingSource: Sendable {
    /// Fetches every page of rows metered on `day`, in order, one page held at a time.
    ///
    /// Each page goes first to `read`, which folds its rows and returns what the page says of paging
    /// (its row count, whether it is the last). A page the source then refuses (malformed, larger than
    /// asked, a repeat of an earlier one) goes no further and ends the fetch with an error; an accepted
    /// one goes to `keep` (to archive it) before the next is fetched. A caller that writes only after
    /// the last page, and drops what it folded on error, never stores a partial day.
    func fetchPages(
        for day: CalendarDay, read: (BillingPage) throws -> PageInfo, keep: (BillingPage) async throws -> Void
    ) async throws -> FetchSummary
}
