import BillingCore

/// History read lean: amounts in one pass for judging and baselines, and full rows only for the few
/// keys whose change needs explaining.
public protocol HistoryLog: Sendable {
    /// Each key's daily amount and anomaly flag for days in `days`.
    func costHistory(in days: ClosedRange<CalendarDay>) async throws -> CostHistory

    /// Each service's exact total per day for days in `days`, sorted by date then service id.
    func serviceTotals(in days: ClosedRange<CalendarDay>) async throws -> [ServiceDayTotal]

    /// The `limit` keys whose cost on `day` differs most from their average day over the `days` days
    /// before it, largest difference first (ties by key).
    func largestChanges(on day: CalendarDay, againstDays days: Int, limit: Int) async throws -> [KeyChange]

    /// The daily costs of `keys` with dates in `days`, sorted by date then key.
    func dailyCosts(of keys: [CostKey], in days: ClosedRange<CalendarDay>) async throws -> [DailyCost]
}
