import BillingCore

/// Where aggregates, baselines and anomalies live: the embedded SQLite file or PostgreSQL.
public protocol BillingStore: Sendable {
    /// Daily costs with dates in `days`, sorted by date then key.
    func dailyCosts(in days: ClosedRange<CalendarDay>) async throws -> [DailyCost]

    /// The current baselines, sorted by key.
    func baselines() async throws -> [Baseline]

    /// The current baseline of one key, or nil when it has none.
    func baseline(of key: CostKey) async throws -> Baseline?

    /// The last day of the current baselines' window, or nil without baselines: what a job needs to
    /// know of them without reading every key's.
    func baselineWindowEnd() async throws -> CalendarDay?

    /// Anomalies with dates in `days`, sorted by date, hour, then key.
    func anomalies(in days: ClosedRange<CalendarDay>) async throws -> [Anomaly]

    /// Applies every change in one transaction: all of it lands, or none of it.
    func commit(_ changes: StoreChanges) async throws
}
