import BillingCore

/// Where aggregates, baselines and anomalies live: the embedded SQLite file or PostgreSQL.
public protocol BillingStore: Sendable {
    /// Daily costs with dates in `days`, sorted by date then key.
    func dailyCosts(in days: ClosedRange<CalendarDay>) async throws -> [DailyCost]

    /// The current baselines, sorted by key.
    func baselines() async throws -> [Baseline]

    /// Anomalies with dates in `days`, sorted by date, hour, then key.
    func anomalies(in days: ClosedRange<CalendarDay>) async throws -> [Anomaly]

    /// Applies every change in one transaction: all of it lands, or none of it.
    func commit(_ changes: StoreChanges) async throws
}

/// Today's cumulative cost per key at each hour the hourly job ran, to learn how a day usually accrues.
public protocol IntradayLog: Sendable {
    /// Snapshots taken at `hour` on days in `days`.
    func intradaySnapshots(in days: ClosedRange<CalendarDay>, hour: Int) async throws -> [IntradaySnapshot]
}

public struct IntradaySnapshot: Sendable, Hashable {
    public var date: CalendarDay
    public var hour: Int
    public var key: CostKey
    /// The day's cumulative expectAmount at that hour.
    public var expectAmount: ExactDecimal

    public init(date: CalendarDay, hour: Int, key: CostKey, expectAmount: ExactDecimal) {
        self.date = date
        self.hour = hour
        self.key = key
        self.expectAmount = expectAmount
    }
}

/// Which days each job has finished; backfill skips those, which makes it resumable.
public protocol JobLedger: Sendable {
    /// Finished runs with dates in `days`, sorted by job then date.
    func jobRuns(in days: ClosedRange<CalendarDay>) async throws -> [JobRun]
}

extension JobLedger {
    public func completedDays(of job: JobName, in days: ClosedRange<CalendarDay>) async throws -> Set<CalendarDay> {
        Set(try await jobRuns(in: days).filter { $0.job == job }.map(\.date))
    }
}
