import BillingCore
import BillingPipeline
import Foundation

/// Where billing-alert stands, at a glance: what each job last finished and when it runs next, what
/// waits (spooled days, deliveries owed or failed), the open anomalies, and where the data lives.
public struct StatusReport: Sendable, Encodable {
    public struct Job: Sendable, Encodable {
        public var job: String
        /// The last day the job finished (YYYYMMDD), and when, in the configured time zone.
        public var lastDay: String?
        public var finishedAt: String?
        /// When the schedule next runs it (cron or `serve`), in the configured time zone.
        public var nextRun: String
        /// `ok`, or what is behind.
        public var state: String
    }

    public struct Channel: Sendable, Encodable {
        public var channel: String
        public var pending: Int
        public var failed: Int
    }

    public var version: String
    public var now: String
    public var store: String
    /// Nil when the store answered.
    public var storeError: String?
    public var archive: String
    /// Raw days waiting in the local spool for the archive (archive keys).
    public var spooledDays: [String]
    /// What runs the jobs: the cron entries billing-alert installed, or why none were found.
    public var scheduler: String
    public var jobs: [Job]
    /// Deliveries of the last 7 days' anomalies still owed or failed, per channel.
    public var deliveries: [Channel]
    /// Anomalies of the last 7 days with no verdict and no silence holding them back.
    public var openAnomalies: Int?

    /// `key: value` lines, aligned, for a terminal.
    public var text: String {
        var lines: [(String, String)] = [
            ("version", version), ("now", now), ("store", store + (storeError.map { " (cannot be read: \($0))" } ?? "")),
            ("archive", archive),
            ("spool", spooledDays.isEmpty ? "empty" : "\(spooledDays.count) day(s) wait for the archive: \(spooledDays.joined(separator: ", "))"),
            ("scheduler", scheduler),
        ]
        for job in jobs {
            let last = job.lastDay.map { "last finished \($0) at \(job.finishedAt ?? "?")" } ?? "never finished a day"
            lines.append(("\(job.job) job", "\(job.state); \(last); next run \(job.nextRun)"))
        }
        lines.append(("open anomalies", openAnomalies.map { "\($0) in the last 7 days" + ($0 > 0 ? " (`billing-alert anomalies --open`)" : "") } ?? "unknown"))
        let owed = deliveries.filter { $0.pending > 0 || $0.failed > 0 }
        lines.append((
            "deliveries",
            owed.isEmpty ? "none pending or failed" : owed.map { "\($0.channel): \($0.pending) pending, \($0.failed) failed" }.joined(separator: "; ")
        ))
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension BillingApp {
    /// The schedule the configuration sets, which cron entries and `serve` both follow.
    public var schedule: JobSchedule {
        JobSchedule(
            hourlyMinute: configuration.schedule.hourlyMinute, dailyHour: configuration.schedule.dailyHour,
            dailyMinute: configuration.schedule.dailyMinute, timeZone: configuration.timeZone)
    }

    /// Reads the store and `crontab`; a store that cannot be read is reported, not thrown.
    public func status(now: Date, crontab: CrontabFile) async -> StatusReport {
        let today = self.today(now).day
        let week = today.adding(days: -6)...today
        var report = StatusReport(
            version: "\(Self.version)", now: localTime(now), store: "\(configuration.store)", archive: "\(configuration.archive)",
            spooledDays: spooledDays(), scheduler: Self.scheduler(crontab), jobs: [], deliveries: [])
        var runs: [JobRun] = []
        do {
            try await withStore { store in
                runs = try await store.jobRuns(in: today.adding(days: -400)...today)
                report.openAnomalies = try await Self.recentAnomalies(store, today: today).count { $0.state == .open }
                let deliveries = try await store.deliveries(in: week)
                report.deliveries = Set(deliveries.map(\.channel)).sorted().map { channel in
                    StatusReport.Channel(
                        channel: channel, pending: deliveries.count { $0.channel == channel && $0.status == .pending },
                        failed: deliveries.count { $0.channel == channel && $0.status == .failed })
                }
            }
        } catch {
            report.storeError = "\(error)"
        }
        let schedule = self.schedule
        for (job, next) in [(JobName.daily, schedule.nextDaily(after: now)), (.hourly, schedule.nextHourly(after: now))] {
            let last = runs.filter { $0.job == job }.max { ($0.date, $0.finishedAt) < ($1.date, $1.finishedAt) }
            let due = job == .daily ? today.adding(days: -1) : today
            var state = "ok"
            if report.storeError != nil {
                state = "unknown"
            } else if job == .daily, (last?.date ?? .init(daysSinceEpoch: 0)) < due {
                state = "behind: \(due.iso) is not done (`billing-alert daily` fetches it)"
            }
            report.jobs.append(StatusReport.Job(
                job: job.rawValue, lastDay: last?.date.compact, finishedAt: last.map { localTime($0.finishedAt) },
                nextRun: "\(localTime(next.at)) for \(next.day.compact)", state: state))
        }
        return report
    }

    /// What the crontab says of billing-alert's entries.
    static func scheduler(_ crontab: CrontabFile) -> String {
        do {
            let own = CronTable(text: try crontab.read()).ownLines
            if own.isEmpty { return "no billing-alert cron entries; run `billing-alert cron add`, or keep `billing-alert serve` running" }
            return "cron: \(own.count) billing-alert entr\(own.count == 1 ? "y" : "ies") (`billing-alert cron show`), or `serve` if it runs"
        } catch {
            return "the crontab could not be read (\(error)); `serve` runs the jobs if it is running"
        }
    }
}
