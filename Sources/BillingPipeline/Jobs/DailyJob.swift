import BillingCore
import BillingWire
import Foundation
import Logging

/// The daily job: fetch a finished day, archive its raw JSON, store its aggregates, judge it, and
/// recompute the baselines.
///
/// Nothing is written until every page has arrived and parsed, and the store's writes land in one
/// transaction, so a failed run leaves the store as it was and a rerun replaces rather than adds.
public struct DailyJob: Sendable {
    public var source: any BillingSource
    public var archive: any RawArchive
    /// Where the raw day is written while its pages arrive, before it goes to the archive.
    public var rawDays: any RawDayFiles
    public var store: any JobStore
    public var detector: AnomalyDetector
    public var baselineCalculator: BaselineCalculator
    public var alerter: Alerter
    public var logger: Logger
    /// How long to wait for another run of the same day to finish before stopping.
    public var lockWait: Duration = .zero
    public var alertPolicy = AlertPolicy()
    /// Whether an answer without a row of the day may replace the day's stored costs.
    public var allowEmpty = false
    /// The share of the day billed when it is fetched: 1 for a finished day, less for today so far
    /// (`daily --today`), whose digest and movers then compare it with the same share of earlier days.
    public var accrued: Double = 1

    public init(
        source: any BillingSource, archive: any RawArchive, rawDays: any RawDayFiles, store: any JobStore,
        detector: AnomalyDetector, baselineCalculator: BaselineCalculator, alerter: Alerter, logger: Logger
    ) {
        self.source = source
        self.archive = archive
        self.rawDays = rawDays
        self.store = store
        self.detector = detector
        self.baselineCalculator = baselineCalculator
        self.alerter = alerter
        self.logger = logger
    }

    /// Runs the job for `day`; `notify: false` (backfill) stores anomalies without sending them.
    public func run(day: CalendarDay, now: Date, notify: Bool = true) async throws -> DailyReport {
        try await store.withRunLock("daily:\(day.compact)", wait: lockWait, logger: logger) {
            try await fetchAndSettle(day: day, now: now, notify: notify)
        }
    }

    private func fetchAndSettle(day: CalendarDay, now: Date, notify: Bool) async throws -> DailyReport {
        removeLeftovers(of: day)
        // The store's history and the API's pages do not depend on each other: read one while the
        // other arrives, on both cores. (The day's lock is held, so nothing changes the store meanwhile.)
        async let storedState = read(day: day, notify: notify)
        var aggregator = DailyAggregator(date: day)
        let writer = try rawDays.start(day, fetchedAt: now)
        defer { writer.discard() }
        let summary = try await source.fetchPages(for: day, read: { try aggregator.add(pageBody: $0.body) }) { page in
            try writer.append(page: page.body)
        }
        let stored = try await storedState
        // Before the archive too: its copy of the day is the one a reprocess would rebuild from.
        try refuseEmpty(aggregator, day: day, stored: stored, source: "the Billing API's answer")
        let file = try writer.finish(summary)
        let key = RawDayDocument.key(for: day)
        let receipt = try await archive.putFile(file, at: key, contentType: RawDayDocument.contentType)
        let location = receipt.location
        var deferred: ArchiveDeferred?
        if case .spooled(let spooledAt, let reason) = receipt {
            // The day is safe in the spool: store the aggregates, and report the archive step at the end.
            logger.warning("the archive step failed; the day is spooled", metadata: ["date": "\(day)", "spool": "\(spooledAt)"])
            deferred = ArchiveDeferred(key: key, spooledAt: spooledAt, reason: reason)
        }
        logger.info(
            "fetched and archived a day",
            metadata: [
                "date": "\(day)", "rows": "\(summary.rowCount)", "pages": "\(summary.pageCount)",
                "archive": "\(location)",
            ])
        let costs = aggregator.takeDailyCosts()
        var report = try await settle(day: day, costs: consume costs, counts: aggregator, stored: stored, job: .daily, now: now, notify: notify)
        report.archiveLocation = location
        report.archiveDeferred = deferred
        report.fetch = summary
        return report
    }

    /// Refuses a day without a row of its own when the store holds its costs: an empty page, a null
    /// content list or rows of other days only would wipe a stored day. `allowEmpty` lets it through.
    private func refuseEmpty(_ aggregator: DailyAggregator, day: CalendarDay, stored: StoredState, source: String) throws {
        guard aggregator.rowCount == 0, !allowEmpty else { return }
        let storedKeys = stored.storedKeyCount
        guard storedKeys > 0 else { return }
        throw PipelineError.emptyAnswer(day, storedKeys: storedKeys, otherDayRows: aggregator.otherDayRowCount, source: source)
    }

    /// What a daily run reads of the store, once each, before it decides anything.
    private struct StoredState {
        /// Each key's amounts over the judging and baseline windows, but for the day itself: the run
        /// replaces that, and judges the day by the others.
        var history: CostHistory
        /// How many keys the day has stored now.
        var storedKeyCount: Int
        var baselineWindow: ClosedRange<CalendarDay>
        /// Verdicts on the day's anomalies, and on those of the digest's days when the run sends.
        var feedback: [AnomalyFeedback]
        /// Nil when the run sends nothing (backfill, reprocess).
        var outbox: OutboxState?
    }

    private func read(day: CalendarDay, notify: Bool) async throws -> StoredState {
        let judgingStart = day.adding(days: -detector.historyDays)
        let storedEnd = try await store.baselineWindowEnd()
        let baselineWindow = baselineCalculator.window(endingOn: max(day, storedEnd ?? day))
        // Amounts only, in one pass: history of any length costs a few bytes per key and day.
        let history = try await store.costHistory(
            in: min(judgingStart, baselineWindow.lowerBound)...max(baselineWindow.upperBound, day), skipping: day)
        let storedKeyCount = try await store.keyCount(on: day)
        guard notify else {
            return StoredState(
                history: history, storedKeyCount: storedKeyCount, baselineWindow: baselineWindow,
                feedback: try await store.feedback(in: day...day), outbox: nil)
        }
        let outbox = try await OutboxState.read(
            from: store, days: day.adding(days: -1)...day, recent: day.adding(days: -DailyDigest.usualDays)...day)
        return StoredState(
            history: history, storedKeyCount: storedKeyCount, baselineWindow: baselineWindow, feedback: outbox.feedback,
            outbox: outbox)
    }

    /// Removes what a run of `day` that died left behind: its raw day half written or half downloaded,
    /// and a half-made copy beside the archived day. The caller holds the day's lock, so no live run
    /// owns them; one that cannot be removed is left for the next run.
    private func removeLeftovers(of day: CalendarDay) {
        var removed = rawDays.removeLeftovers(of: day)
        do {
            removed += try archive.removeLeftovers(of: RawDayDocument.key(for: day))
        } catch {
            logger.warning("could not remove a crashed run's leftover", metadata: ["date": "\(day)", "reason": "\(error)"])
        }
        for path in removed {
            logger.notice("removed what a crashed run left behind", metadata: ["date": "\(day)", "path": "\(path)"])
        }
    }

    /// Rebuilds `day`'s aggregates and the baselines from the archive, without calling the API.
    public func reprocess(day: CalendarDay, now: Date) async throws -> DailyReport {
        try await store.withRunLock("daily:\(day.compact)", wait: lockWait, logger: logger) {
            try await rebuild(day: day, now: now)
        }
    }

    private func rebuild(day: CalendarDay, now: Date) async throws -> DailyReport {
        removeLeftovers(of: day)
        let key = RawDayDocument.key(for: day)
        // The history is read while the archived day is folded, as in a daily run.
        async let storedState = read(day: day, notify: false)
        // Read from a file a window at a time: an archived day of any size takes bounded memory.
        // The costs are taken where the aggregator is the only copy: taken from a copy, every key's
        // parts would stay held by the other until the run ends.
        let folded = try await archive.withFile(key, downloadingInto: rawDays.directory) { file in
            var aggregator = DailyAggregator(date: day)
            let date = try rawDays.foldArchivedDay(file, into: &aggregator)
            let costs = aggregator.takeDailyCosts()
            return (costs, aggregator, date)
        }
        guard case (let costs, let aggregator, let archivedDate)? = consume folded else {
            throw PipelineError.archivedDayMissing(day, key: key)
        }
        if let archivedDate, archivedDate != day {
            throw PipelineError.archivedDayMismatch(day, found: archivedDate, key: key)
        }
        let stored = try await storedState
        try refuseEmpty(aggregator, day: day, stored: stored, source: "the archived day \(key)")
        var report = try await settle(day: day, costs: consume costs, counts: aggregator, stored: stored, job: .reprocess, now: now, notify: false)
        report.archiveLocation = key
        return report
    }

    /// Decides everything from the fetched day and what was read, commits it in one transaction, then
    /// sends: the anomalies owed, and the digest.
    ///
    /// `costs` are the day's, taken from the aggregator; `counts` is what is left of it, its counts.
    private func settle(
        day: CalendarDay, costs taken: consuming [DailyCost], counts aggregator: DailyAggregator, stored: StoredState,
        job: JobName, now: Date, notify: Bool
    ) async throws -> DailyReport {
        // Taken whole, so marking the day's anomalies below does not copy every cost.
        var costs = taken
        if aggregator.otherDayRowCount > 0 {
            logger.warning(
                "rows of other days were left out",
                metadata: ["date": "\(day)", "rows": "\(aggregator.otherDayRowCount)"])
        }

        // Judge the day by the days before it, so the verdict does not depend on run order.
        let history = stored.history
        var anomalies = try await DriverLookup(store: store).explain(
            detector.scan(costs, day: day, history: history, hour: Anomaly.wholeDay, detectedAt: now), costs: costs)
        // What people said of a key's day outweighs the detector: planned and real stay out of the
        // baselines, not-anomaly goes back in.
        let anomalousKeys = Set(anomalies.map(\.key))
        let verdicts = Dictionary(
            stored.feedback.filter { $0.date == day }.map { ($0.key, $0.verdict) }, uniquingKeysWith: { _, last in last })
        for index in costs.indices {
            costs[index].isAnomaly = verdicts[costs[index].key]?.isAnomalous ?? anomalousKeys.contains(costs[index].key)
        }
        if !notify {
            for index in anomalies.indices { anomalies[index].notification = NotificationState(status: .skipped, at: now) }
        }

        var changes = StoreChanges(now: now)
        changes.replacedDays = [day]
        changes.dailyCosts = costs
        let movers = DailyDigest.movers(on: day, costs: costs, history: history, top: DailyDigest.keptMovers, accrued: accrued)
        changes.movers = [day: movers]
        changes.baselines = baselineCalculator.baselines(
            from: history, replacing: day, with: costs, window: stored.baselineWindow, computedAt: now)
        changes.anomalies = anomalies
        changes.rejudged = [JudgedHour(date: day, hour: Anomaly.wholeDay)]
        changes.jobRuns = [JobRun(
            job: job, date: day, rowCount: aggregator.rowCount, keyCount: costs.count, finishedAt: now)]
        let plan = stored.outbox.map { outbox in
            outbox.plan(
                announcing: alertPolicy.toAnnounce(anomalies, alreadySent: outbox.announced(on: day), now: now),
                after: changes, alerter: alerter)
        }
        if let plan { changes.record(plan) }

        try await store.commit(changes)

        let total = DailyTotal(date: day, costs: costs, anomalyCount: anomalies.count)
        var report = DailyReport(total: total, anomalies: anomalies, baselineCount: changes.baselines?.count ?? 0)
        report.otherDayRowCount = aggregator.otherDayRowCount
        guard let plan, let outbox = stored.outbox else { return report }
        let sent = await DeliverySender(alerter: alerter, logger: logger).send(plan)
        if !sent.changes.isEmpty { try await store.commit(sent.changes) }
        report.alertOutcomes = sent.outcomes
        let digest = DailyDigest(
            total: total, costs: costs, history: history, anomalies: changes.anomalies(standingAfter: outbox.anomalies),
            feedback: outbox.feedback, silences: outbox.silences, accrued: accrued, movers: movers)
        report.digest = digest
        report.alertOutcomes += await alerter.sendDigest(digest, logger: logger)
        return report
    }
}

/// What a daily run did.
public struct DailyReport: Sendable {
    public var total: DailyTotal
    public var anomalies: [Anomaly]
    public var baselineCount: Int
    public var otherDayRowCount = 0
    public var fetch: FetchSummary?
    public var archiveLocation: String?
    /// Set when the archive could not take the day and it waits in the spool.
    public var archiveDeferred: ArchiveDeferred?
    public var alertOutcomes: [ChannelOutcome] = []
    /// What the channels that take digests were sent; nil when the run sent nothing.
    public var digest: DailyDigest?

    public init(total: DailyTotal, anomalies: [Anomaly], baselineCount: Int) {
        self.total = total
        self.anomalies = anomalies
        self.baselineCount = baselineCount
    }
}
