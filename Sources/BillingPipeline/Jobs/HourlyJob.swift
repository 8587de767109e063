import BillingCore
import BillingWire
import Foundation
import Logging

/// The hourly job: fetch today so far, judge each key against its baseline, record and announce what
/// is unusual. Its body reads as its steps: fetch, read, decide (`HourlyJudgement`, `DeliveryPlan`),
/// commit, send.
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
        try await store.withRunLock("hourly:\(day.compact)", wait: lockWait, logger: logger) {
            try await judge(day: day, hour: hour, now: now)
        }
    }

    private func judge(day: CalendarDay, hour: Int, now: Date) async throws -> HourlyReport {
        // What the decisions need of the store, read once each while the pages arrive.
        async let evidence = readEvidence(day: day, hour: hour)
        var aggregator = DailyAggregator(date: day)
        let summary = try await source.fetchPages(for: day, read: { try aggregator.add(pageBody: $0.body) }, keep: { _ in })
        let costs = aggregator.takeDailyCosts()
        let (baselines, history, snapshots, outbox) = try await evidence
        // Decide: today's verdict, what drove each anomaly, and who is told what.
        let judgement = HourlyJudgement(
            costs, day: day, hour: hour, detector: detector, baselines: baselines, history: history,
            snapshots: snapshots, now: now)
        let anomalies = try await DriverLookup(store: store).explain(judgement.anomalies, costs: costs, accrued: judgement.accrued)
        var changes = StoreChanges(now: now)
        changes.anomalies = anomalies
        changes.rejudged = [JudgedHour(date: day, hour: hour)]
        changes.intraday = IntradaySnapshots(costs: costs, hour: hour)
        changes.jobRuns = [JobRun(
            job: .hourly, date: day, rowCount: aggregator.rowCount, keyCount: costs.count, finishedAt: now)]
        let plan = outbox.plan(
            announcing: alertPolicy.toAnnounce(anomalies, alreadySent: outbox.announced(on: day), now: now),
            after: changes, alerter: alerter)
        changes.record(plan)

        // Commit, then send, then record what the channels did.
        try await store.commit(changes)
        logger.info(
            "judged today so far",
            metadata: [
                "date": "\(day)", "hour": "\(hour)", "rows": "\(summary.rowCount)",
                "keys": "\(costs.count)", "anomalies": "\(anomalies.count)",
            ])
        let sent = await DeliverySender(alerter: alerter, logger: logger).send(plan)
        if !sent.changes.isEmpty { try await store.commit(sent.changes) }
        return HourlyReport(
            date: day, hour: hour, costs: costs, judgedKeyCount: judgement.judgedKeyCount,
            anomalies: anomalies, newlySent: plan.announced, alertOutcomes: sent.outcomes)
    }
}

extension HourlyJob {
    /// What the judgement of `day` at `hour` needs of the store: the evidence its detector asks for,
    /// and the outbox of yesterday and today.
    private func readEvidence(
        day: CalendarDay, hour: Int
    ) async throws -> (baselines: [Baseline], history: CostHistory, snapshots: [IntradaySnapshot], outbox: OutboxState) {
        var baselines: [Baseline] = [], history = CostHistory(), snapshots: [IntradaySnapshot] = []
        switch HourlyJudgement.evidence(for: detector, day: day, hour: hour) {
        case .nothing: break
        case .baselines: baselines = try await store.baselines()
        case .history(let days, let snapshotDays):
            history = try await store.costHistory(in: days)
            snapshots = try await store.intradaySnapshots(in: snapshotDays, hour: hour)
        }
        let retried = day.adding(days: -1)...day
        return (baselines, history, snapshots, try await OutboxState.read(from: store, days: retried, recent: retried))
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
