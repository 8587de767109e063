import BillingApp
import BillingCore
import Foundation
import Prometheus
import Synchronization

/// What `serve` has run, for `/metrics` and the operations page: counts by job and outcome, durations,
/// the last success of each job, and the latest runs themselves.
public final class RunMonitor: Sendable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        case succeeded
        /// Stored, but the raw day waits in the spool for the archive.
        case archiveDeferred = "archive_deferred"
        /// Another run of the same job and day held the lock.
        case lockBusy = "lock_busy"
        case failed
        /// Cancelled by a shutdown before it finished; it wrote nothing.
        case abandoned
    }

    public struct Entry: Sendable, Hashable {
        public var run: JobSchedule.Run
        public var outcome: Outcome
        public var seconds: Double
        public var rows: Int
        public var finishedAt: Date
    }

    public let registry = PrometheusCollectorRegistry()
    private let recent = Mutex<[Entry]>([])
    private let knownChannels = Mutex<Set<String>>([])
    private static let kept = 50

    public init() {
        // Every job and outcome from the start, so a rate over them never begins missing.
        for job in JobSchedule.Job.allCases {
            for outcome in Outcome.allCases { _ = runs(job, outcome) }
            _ = rowsFetched(job)
        }
        for reason in ["rate_limited", "server_error", "timeout", "unreachable"] { _ = apiRetries(reason) }
    }

    public func record(_ run: JobSchedule.Run, outcome: Outcome, duration: Duration, rows: Int, finishedAt: Date) {
        runs(run.job, outcome).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("job_duration", unit: "seconds", help: "How long each scheduled job run took."),
            labels: [("job", run.job.rawValue)], buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800].map { .seconds($0) }
        ).record(duration)
        rowsFetched(run.job).increment(by: Int64(rows))
        if outcome == .succeeded || outcome == .archiveDeferred {
            registry.makeGauge(
                descriptor: Self.name(
                    "job_last_success_timestamp", unit: "seconds", help: "When each job last finished with its data stored, in seconds since 1970."),
                labels: [("job", run.job.rawValue)]
            ).set(finishedAt.timeIntervalSince1970)
        }
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let entry = Entry(run: run, outcome: outcome, seconds: seconds, rows: rows, finishedAt: finishedAt)
        recent.withLock { entries in
            entries.insert(entry, at: 0)
            if entries.count > Self.kept { entries.removeLast(entries.count - Self.kept) }
        }
    }

    public func recordAPIRetry(reason: String) {
        apiRetries(reason).increment()
    }

    /// The latest runs, newest first.
    public var entries: [Entry] {
        recent.withLock { $0 }
    }

    /// A metric's name under `billing_alert_`, with its unit (or none) and help text.
    static func name(_ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "billing_alert", metricName: name, unitName: unit, helpText: help)
    }

    /// Every channel seen so far, with `seen` added: a channel's gauges stay, at zero, once it has none.
    func channels(adding seen: [String]) -> [String] {
        knownChannels.withLock { known in
            known.formUnion(seen)
            return known.sorted()
        }
    }

    private func runs(_ job: JobSchedule.Job, _ outcome: Outcome) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("job_runs", unit: "total", help: "Scheduled job runs by job and outcome."),
            labels: [("job", job.rawValue), ("outcome", outcome.rawValue)])
    }

    private func apiRetries(_ reason: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("api_retries", unit: "total", help: "Billing API requests tried again, by why the try before failed."),
            labels: [("reason", reason)])
    }

    private func rowsFetched(_ job: JobSchedule.Job) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("rows_fetched", unit: "total", help: "Billing rows fetched by scheduled runs."), labels: [("job", job.rawValue)])
    }
}
