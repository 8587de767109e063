import BillingCore
import Foundation
import Logging

/// The hourly job: fetch today so far, judge each key against its baseline, record and announce what
/// is unusual.
///
/// An anomaly is recorded once per (date, hour, key) and announced once per (date, key): the next
/// hours update the record without sending it again.
public struct HourlyJob: Sendable {
    public var source: any BillingSource
    public var store: any JobStore
    public var detector: ClassicDetector
    public var alerter: Alerter
    public var logger: Logger
    /// How long to wait for another run of the same day to finish before stopping.
    public var lockWait: Duration = .zero

    public init(
        source: any BillingSource, store: any JobStore, detector: ClassicDetector, alerter: Alerter,
        logger: Logger
    ) {
        self.source = source
        self.store = store
        self.detector = detector
        self.alerter = alerter
        self.logger = logger
    }

    /// Judges `day`'s costs as of `hour` (KST, 0-23).
    public func run(day: CalendarDay, hour: Int, now: Date) async throws -> HourlyReport {
        try await store.withJobLock("hourly:\(day.compact)", wait: lockWait) {
            try await judge(day: day, hour: hour, now: now)
        }
    }

    private func judge(day: CalendarDay, hour: Int, now: Date) async throws -> HourlyReport {
        var aggregator = DailyAggregator(date: day)
        let summary = try await source.fetchCosts(for: day) { page in
            aggregator.add(contentsOf: page.rows)
        }
        let costs = aggregator.dailyCosts()
        let baselines = Dictionary(uniqueKeysWithValues: try await store.baselines().map { ($0.key, $0) })
        let anomalies = detector.scan(costs, baselines: baselines, hour: hour, detectedAt: now)
        let alreadySent = Set(
            try await store.anomalies(in: day...day).filter { $0.notification.status == .sent }.map(\.key))

        var changes = StoreChanges(now: now)
        changes.anomalies = anomalies
        changes.jobRuns = [JobRun(
            job: .hourly, date: day, rowCount: aggregator.rowCount, keyCount: costs.count, finishedAt: now)]
        try await store.commit(changes)
        logger.info(
            "judged today so far",
            metadata: [
                "date": "\(day)", "hour": "\(hour)", "rows": "\(summary.rowCount)",
                "keys": "\(costs.count)", "anomalies": "\(anomalies.count)",
            ])

        let unsent = anomalies.filter { !alreadySent.contains($0.key) }
        let outcomes = try await AnomalyNotifier(alerter: alerter, store: store, logger: logger)
            .notify(unsent, now: now)
        return HourlyReport(
            date: day, hour: hour, costs: costs, judgedKeyCount: costs.filter { baselines[$0.key] != nil }.count,
            anomalies: anomalies, newlySent: unsent, alertOutcomes: outcomes)
    }
}

/// What an hourly run did.
public struct HourlyReport: Sendable {
    public var date: CalendarDay
    public var hour: Int
    public var costs: [DailyCost]
    public var judgedKeyCount: Int
    public var anomalies: [Anomaly]
    /// The anomalies this run announced; the rest were announced by an earlier run.
    public var newlySent: [Anomaly]
    public var alertOutcomes: [ChannelOutcome]
}
