import BillingCore

/// History read lean: amounts in one pass for judging and baselines, and full rows only for the few
/// keys whose change needs explaining.
public protocol HistoryLog: Sendable {
    /// Each key's daily amount and anomaly flag for days in `days`, leaving out `skipped`: the day a
    /// run is about to replace, whose stored amounts it would only drop again.
    func costHistory(in days: ClosedRange<CalendarDay>, skipping skipped: CalendarDay?) async throws -> CostHistory

    /// How many keys have a stored cost on `day`.
    func keyCount(on day: CalendarDay) async throws -> Int

    /// Each service's exact total per day for days in `days`, sorted by date then service id.
    func serviceTotals(in days: ClosedRange<CalendarDay>) async throws -> [ServiceDayTotal]

    /// The keys whose cost moved most on `day`, as the daily job that stored the day found them
    /// (`DailyDigest.movers`), largest first; empty for a day stored without them.
    func movers(on day: CalendarDay) async throws -> [DailyDigest.Mover]

    /// The daily costs of `keys` with dates in `days`, sorted by date then key.
    func dailyCosts(of keys: [CostKey], in days: ClosedRange<CalendarDay>) async throws -> [DailyCost]
}

extension HistoryLog {
    /// Each key's daily amount and anomaly flag for days in `days`.
    public func costHistory(in days: ClosedRange<CalendarDay>) async throws -> CostHistory {
        try await costHistory(in: days, skipping: nil)
    }
}
