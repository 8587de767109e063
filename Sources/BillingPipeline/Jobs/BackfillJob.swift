import BillingCore
import Foundation
import Logging

/// The daily job over a range of days, oldest first, without sending alerts.
///
/// Days the daily job already finished are skipped unless `refetch` is set, so an interrupted backfill
/// picks up where it stopped; rerunning a day replaces its rows, so nothing is counted twice.
public struct BackfillJob: Sendable {
    public var daily: DailyJob
    public var ledger: any JobLedger

    public init(daily: DailyJob, ledger: any JobLedger) {
        self.daily = daily
        self.ledger = ledger
    }

    public func run(
        days: ClosedRange<CalendarDay>, refetch: Bool, now: @Sendable () -> Date,
        progress: (BackfillStep) -> Void
    ) async throws -> BackfillSummary {
        let done = refetch ? [] : try await ledger.completedDays(of: .daily, in: days)
        var summary = BackfillSummary()
        for day in days.lowerBound.through(days.upperBound) {
            if done.contains(day) {
                summary.skipped += 1
                progress(.skipped(day))
                continue
            }
            let report = try await daily.run(day: day, now: now(), notify: false)
            summary.fetched += 1
            summary.anomalies += report.anomalies
            if let deferred = report.archiveDeferred { summary.deferred.append(deferred) }
            progress(.fetched(report))
        }
        return summary
    }
}

public enum BackfillStep: Sendable {
    case skipped(CalendarDay)
    case fetched(DailyReport)
}

public struct BackfillSummary: Sendable {
    public var fetched = 0
    public var skipped = 0
    public var anomalies: [Anomaly] = []
    /// Days whose raw data waits in the spool.
    public var deferred: [ArchiveDeferred] = []
}
