import BillingApp
import BillingCore
import BillingPipeline
import Foundation
import Logging
import ServiceLifecycle

/// What the scheduler runs: the app's jobs in `serve`, a recording stand-in in tests.
public protocol ScheduledWork: Sendable {
    /// Runs the job for `run.day`; returns the rows it fetched.
    func perform(_ run: JobSchedule.Run, now: Date) async throws -> Int

    /// Whether the daily job has finished `day` (by `serve`, cron or a person).
    func dailyFinished(_ day: CalendarDay) async throws -> Bool
}

/// Runs the hourly and daily jobs at their scheduled times for as long as `serve` runs: the cron
/// alternative for containers. Each job takes the same per-job-and-day lock as a cron run, so both can
/// coexist. On start it catches up the latest daily run once when its day is not finished. On graceful
/// shutdown it starts nothing new and lets a run in progress finish; the service group cancels a run
/// that outlasts its grace period, and a cancelled run writes nothing.
public struct JobScheduler: Service {
    let schedule: JobSchedule
    let clock: any ServeClock
    let work: any ScheduledWork
    let monitor: RunMonitor
    let logger: Logger

    public init(schedule: JobSchedule, clock: any ServeClock, work: any ScheduledWork, monitor: RunMonitor, logger: Logger) {
        self.schedule = schedule
        self.clock = clock
        self.work = work
        self.monitor = monitor
        self.logger = logger
    }

    public func run() async throws {
        var last = clock.now
        let zone = schedule.timeZone.identifier
        logger.notice(
            "serve: the hourly job runs at :\(String(format: "%02d", schedule.hourlyMinute)) and the daily job at \(String(format: "%02d:%02d", schedule.dailyHour, schedule.dailyMinute)), \(zone) time; next hourly run \(schedule.nextHourly(after: last).at.formatted(.iso8601)), next daily run \(schedule.nextDaily(after: last).at.formatted(.iso8601))")
        await catchUp(at: last)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = clock.now
            let due = schedule.due(after: last, through: now)
            guard !due.isEmpty else {
                do {
                    try await cancelWhenGracefulShutdown { try await clock.sleep(until: schedule.nextTime(after: now)) }
                } catch {
                    return
                }
                continue
            }
            last = now
            for run in due where !Task.isShuttingDownGracefully {
                await perform(run)
            }
        }
    }

    /// Runs the latest scheduled daily run now when its day is not finished: `serve` was not running then.
    func catchUp(at now: Date) async {
        let missed = schedule.lastDaily(atOrBefore: now)
        do {
            guard try await !work.dailyFinished(missed.day) else { return }
        } catch {
            logger.error("serve: could not tell whether the daily job finished \(missed.day.compact), so it is not caught up now: \(error)")
            return
        }
        logger.notice("serve: catching up the daily run of \(missed.at.formatted(.iso8601)), which did not happen (\(missed))")
        await perform(missed)
    }

    func perform(_ run: JobSchedule.Run) async {
        let started = ContinuousClock.now
        let outcome: RunMonitor.Outcome
        var rows = 0
        do {
            rows = try await work.perform(run, now: clock.now)
            outcome = .succeeded
        } catch let error as ArchiveDeferred {
            logger.warning("serve: \(run): stored, but the archive step failed: \(error)")
            outcome = .archiveDeferred
        } catch let error as JobLockBusy {
            logger.warning("serve: \(run) skipped: \(error)")
            outcome = .lockBusy
        } catch is CancellationError {
            logger.warning("serve: \(run) abandoned by shutdown; it wrote nothing")
            outcome = .abandoned
        } catch {
            logger.error("serve: \(run) failed: \(error)")
            outcome = Task.isCancelled ? .abandoned : .failed
        }
        monitor.record(run, outcome: outcome, duration: ContinuousClock.now - started, rows: rows, finishedAt: clock.now)
    }
}
