import BillingCore
import BillingWire
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
    public var detector: AnomalyDetector
    public var alerter: Alerter
    public var logger: Logger
    /// How long to wait for another run of the same day to finish before stopping.
    public var lockWait: Duration = .zero
    public var alertPolicy = AlertPolicy()

    public init(
        source: any BillingSource, store: any JobStore, detector: AnomalyDetector, alerter: Alerter,
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
        let summary = try await source.fetchCosts(for: day, into: &aggregator) { _ in }
        let costs = aggregator.dailyCosts()
        let (anomalies, judged) = try await judge(costs, day: day, hour: hour, now: now)
        let alreadySent = try await store.anomalies(in: day...day)

        var changes = StoreChanges(now: now)
        changes.anomalies = anomalies
        changes.rejudged = [JudgedHour(date: day, hour: hour)]
        changes.intraday = costs.map { IntradaySnapshot(date: day, hour: hour, key: $0.key, expectAmount: $0.expectAmount) }
        changes.jobRuns = [JobRun(
            job: .hourly, date: day, rowCount: aggregator.rowCount, keyCount: costs.count, finishedAt: now)]
        try await store.commit(changes)
        logger.info(
            "judged today so far",
            metadata: [
                "date": "\(day)", "hour": "\(hour)", "rows": "\(summary.rowCount)",
                "keys": "\(costs.count)", "anomalies": "\(anomalies.count)",
            ])

        let unsent = alertPolicy.toAnnounce(anomalies, alreadySent: alreadySent, now: now)
        let notified = try await AnomalyNotifier(alerter: alerter, store: store, logger: logger)
            .notify(unsent, days: day.adding(days: -1)...day, now: now)
        return HourlyReport(
            date: day, hour: hour, costs: costs, judgedKeyCount: judged,
            anomalies: anomalies, newlySent: notified.announced, alertOutcomes: notified.outcomes)
    }
}

extension HourlyJob {
    /// The classic rule compares today so far with the stored baselines of whole days, as the tutorial
    /// did; the seasonal detector compares it with the share of a normal day that has usually accrued
    /// by this hour on comparable days (same weekday or weekend), or with the hours elapsed when there
    /// are too few hourly snapshots yet.
    func judge(_ costs: [DailyCost], day: CalendarDay, hour: Int, now: Date) async throws -> (anomalies: [Anomaly], judged: Int) {
        switch detector {
        case .classic(let classic, _):
            let baselines = Dictionary(uniqueKeysWithValues: try await store.baselines().map { ($0.key, $0) })
            let anomalies = try await DriverLookup(store: store).explain(
                classic.scan(costs, baselines: baselines, hour: hour, detectedAt: now), costs: costs)
            return (anomalies, costs.filter { baselines[$0.key] != nil }.count)
        case .seasonal:
            // Before 02:00 too little of the day has been billed to judge it.
            guard hour >= 2 else { return ([], 0) }
            let history = try await store.costHistory(in: day.adding(days: -detector.historyDays)...day.adding(days: -1))
            let comparable = day.adding(days: -28)...day.adding(days: -1)
            let snapshots = try await store.intradaySnapshots(in: comparable, hour: hour)
                .filter { $0.date.isWeekend == day.isWeekend }
            struct DayAndKey: Hashable {
                var day: CalendarDay
                var key: CostKey
            }
            var finals: [DayAndKey: Double] = [:]
            let first = Int32(comparable.lowerBound.daysSinceEpoch)
            for (key, entries) in history.entries {
                for entry in entries where entry.day >= first { finals[DayAndKey(day: entry.date, key: key)] = entry.amount }
            }
            var samples: [CostKey: [(atHour: Double, wholeDay: Double)]] = [:]
            for snapshot in snapshots {
                guard let whole = finals[DayAndKey(day: snapshot.date, key: snapshot.key)] else { continue }
                samples[snapshot.key, default: []].append((snapshot.expectAmount.doubleValue, whole))
            }
            let accrued = { (key: CostKey) in IntradayShare.share(byHour: hour, samples: samples[key] ?? []) }
            let anomalies = try await DriverLookup(store: store).explain(
                detector.scan(costs, day: day, history: history, hour: hour, accrued: accrued, detectedAt: now),
                costs: costs, accrued: { accrued($0).share })
            return (anomalies, costs.filter { history.entries[$0.key] != nil }.count)
        }
    }
}

/// What an hourly run did.
public struct HourlyReport: Sendable {
    public var date: CalendarDay
    public var hour: Int
    public var costs: [DailyCost]
    public var judgedKeyCount: Int
    public var anomalies: [Anomaly]
    /// The anomalies this run announced; the rest were announced by an earlier run, or are held back
    /// by a silence, feedback or every channel's minimum.
    public var newlySent: [Anomaly]
    public var alertOutcomes: [ChannelOutcome]
}
