import BillingCore
import BillingPipeline
import Foundation

extension BillingApp {
    /// The daily job for `day` (yesterday when nil).
    @discardableResult
    public func runDaily(day: CalendarDay?, now: Date, allowEmpty: Bool = false) async throws -> DailyReport {
        let day = day ?? today(now).day.adding(days: -1)
        try refuseFuture(day, now: now)
        await flushSpool()
        let report = try await withStore { store in
            var job = dailyJob(store: store, source: makeSource(), allowEmpty: allowEmpty)
            job.accrued = accruedShare(of: day, now: now)
            return try await job.run(day: day, now: now)
        }
        output(DailyReportText.summary(report))
        reportAlertFailures(report.alertOutcomes)
        if let deferred = report.archiveDeferred { throw deferred }
        return report
    }

    /// The hourly job for today so far, or for `day` as a whole when it is an earlier day.
    @discardableResult
    public func runHourly(day: CalendarDay?, now: Date) async throws -> HourlyReport {
        let (today, currentHour) = today(now)
        let day = day ?? today
        try refuseFuture(day, now: now)
        let hour = day == today ? currentHour : 23
        let report = try await withStore { store in
            var job = HourlyJob(source: makeSource(), store: store, detector: detector, alerter: makeAlerter(), logger: logger)
            job.lockWait = configuration.lockWait
            job.alertPolicy = configuration.alerts.policy
            return try await job.run(day: day, hour: hour, now: now)
        }
        output(
            "hourly \(day.compact) \(String(format: "%02d", hour)):xx: \(report.costs.count) keys, "
                + "\(report.judgedKeyCount) judged, \(DailyReportText.count(report.anomalies.count, "anomaly", "anomalies")) "
                + "(\(report.newlySent.count) newly announced)")
        reportAlertFailures(report.alertOutcomes)
        return report
    }

    /// The daily job over `days`, skipping finished days unless `refetch`.
    @discardableResult
    public func runBackfill(days: ClosedRange<CalendarDay>, refetch: Bool, allowEmpty: Bool = false) async throws -> BackfillSummary {
        await flushSpool()
        let summary = try await withStore { store in
            let job = BackfillJob(daily: dailyJob(store: store, source: makeSource(), allowEmpty: allowEmpty), ledger: store)
            var progress = BackfillProgress(total: days.lowerBound.days(until: days.upperBound) + 1, started: ContinuousClock.now)
            return try await job.run(days: days, refetch: refetch, now: { Date() }) { step in
                switch step {
                case .skipped(let day): output("\(day.compact): already done, skipped " + progress.step(fetched: false, at: .now))
                case .fetched(let report): output(DailyReportText.summary(report) + " " + progress.step(fetched: true, at: .now))
                }
            }
        }
        output("backfill \(days.lowerBound.compact)-\(days.upperBound.compact): \(summary.fetched) days fetched, \(summary.skipped) skipped, \(DailyReportText.count(summary.anomalies.count, "anomaly", "anomalies"))")
        if let first = summary.deferred.first {
            throw ArchiveDeferred(
                key: first.key, spooledAt: first.spooledAt,
                reason: "\(first.reason) (\(summary.deferred.count) day(s) spooled)")
        }
        return summary
    }

    /// Rebuilds `day` from the archive.
    @discardableResult
    public func runReprocess(day: CalendarDay, now: Date, allowEmpty: Bool = false) async throws -> DailyReport {
        try refuseFuture(day, now: now)
        let report = try await withStore { store in
            var job = dailyJob(store: store, source: makeSource(), allowEmpty: allowEmpty)
            job.accrued = accruedShare(of: day, now: now)
            return try await job.reprocess(day: day, now: now)
        }
        output("reprocessed from the archive: " + DailyReportText.summary(report))
        return report
    }

    /// Every job refuses a day after today in the configured time zone, before it touches anything.
    func refuseFuture(_ day: CalendarDay, now: Date) throws {
        let today = today(now).day
        guard day <= today else {
            throw PipelineError.futureDay(day, today: today, timeZone: configuration.timeZone.identifier)
        }
    }

    /// How much of `day` has passed at `now` in the configured time zone: 1 for a finished day.
    func accruedShare(of day: CalendarDay, now: Date) -> Double {
        guard day == today(now).day else { return 1 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.timeZone
        let elapsed = now.timeIntervalSince(calendar.startOfDay(for: now))
        return min(1, max(1.0 / 24, elapsed / 86_400))
    }

    private func reportAlertFailures(_ outcomes: [ChannelOutcome]) {
        for outcome in outcomes where !outcome.delivered {
            output("warning: the \(outcome.channel) alert was not delivered: \(outcome.failure ?? "unknown reason")")
        }
    }
}

enum DailyReportText {
    static func count(_ number: Int, _ one: String, _ many: String) -> String {
        "\(number) \(number == 1 ? one : many)"
    }

    static func summary(_ report: DailyReport) -> String {
        var text = "daily \(report.total.date.compact): \(report.total.rowCount) rows, \(report.total.keyCount) keys, "
            + "total \(AmountText.krw(report.total.expectAmount)), \(count(report.anomalies.count, "anomaly", "anomalies")), "
            + "\(count(report.baselineCount, "baseline", "baselines"))"
        if report.otherDayRowCount > 0 { text += ", \(report.otherDayRowCount) rows of other days left out" }
        return text
    }
}

/// How far a backfill is: "(3 of 30 days, about 1 min 20 s left)", the time left estimated from the
/// days fetched so far (a skipped day costs next to nothing).
struct BackfillProgress {
    let total: Int
    private(set) var done = 0
    private(set) var fetched = 0
    private var fetching: Duration = .zero
    private var last: ContinuousClock.Instant

    init(total: Int, started: ContinuousClock.Instant) {
        self.total = total
        last = started
    }

    mutating func step(fetched wasFetched: Bool, at now: ContinuousClock.Instant) -> String {
        done += 1
        if wasFetched {
            fetched += 1
            fetching += now - last
        }
        last = now
        let left = total - done
        guard left > 0 else { return "(\(done) of \(total) days)" }
        guard fetched > 0 else { return "(\(done) of \(total) days)" }
        let seconds = Int((fetching / fetched * left).components.seconds)
        let text = seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(max(1, seconds)) s"
        return "(\(done) of \(total) days, about \(text) left)"
    }
}
