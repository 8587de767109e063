import BillingApp
import BillingCore
import BillingPipeline
import BillingServe
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A wall clock set by hand: sleeping moves it to the deadline at once, so a day of schedule passes in
/// milliseconds. A stand-in for the host's clock, which a test cannot move.
final class HandSetClock: ServeClock {
    private let current: Mutex<Date>

    init(_ now: Date) {
        current = Mutex(now)
    }

    var now: Date { current.withLock { $0 } }

    func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        current.withLock { $0 = max($0, deadline) }
        await Task.yield()
    }
}

/// Records what the scheduler ran and when, and stops it after `limit` runs. Stands in for the app's
/// jobs, which the serve tests run for real.
final class RecordingWork: ScheduledWork {
    let clock: HandSetClock
    let finished: Set<CalendarDay>
    let limit: Int
    private let log = Mutex<[String]>([])
    private let stop: @Sendable () async -> Void

    init(clock: HandSetClock, finished: Set<CalendarDay> = [], limit: Int, stop: @escaping @Sendable () async -> Void) {
        self.clock = clock
        self.finished = finished
        self.limit = limit
        self.stop = stop
    }

    var runs: [String] { log.withLock { $0 } }

    func perform(_ run: JobSchedule.Run, now: Date) async throws -> Int {
        let count = log.withLock { log in
            log.append("\(run.job) \(run.day.compact) at \(Self.kst(now))")
            return log.count
        }
        if count >= limit {
            // Returns once this run's task knows, so the scheduler starts nothing after it.
            await stop()
            while !Task.isShuttingDownGracefully { try await Task.sleep(for: .milliseconds(1)) }
        }
        return 1
    }

    func dailyFinished(_ day: CalendarDay) async throws -> Bool {
        finished.contains(day)
    }

    static func kst(_ date: Date) -> String {
        let local = Int(date.timeIntervalSince1970) + 9 * 3600
        let day = CalendarDay.containing(date, in: TimeZone(secondsFromGMT: 9 * 3600)!).day
        return "\(day.compact) \(String(format: "%02d:%02d", local % 86_400 / 3600, local % 3600 / 60))"
    }
}

@Suite struct JobSchedulerTests {
    let seoul = TimeZone(identifier: "Asia/Seoul")!

    /// An instant as KST wall-clock time.
    func kst(_ day: String, _ hour: Int, _ minute: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(CalendarDay(day)!.daysSinceEpoch * 86_400 + (hour - 9) * 3600 + minute * 60))
    }

    /// Runs a scheduler from `start` until `limit` runs were made; returns them.
    func runs(from start: Date, limit: Int, finished: Set<CalendarDay>, timeZone: TimeZone? = nil) async throws -> [String] {
        let clock = HandSetClock(start)
        let group = Mutex<ServiceGroup?>(nil)
        let work = RecordingWork(clock: clock, finished: finished, limit: limit) {
            await group.withLock { $0 }?.triggerGracefulShutdown()
        }
        let scheduler = JobScheduler(
            schedule: JobSchedule(hourlyMinute: 10, dailyHour: 2, dailyMinute: 30, timeZone: timeZone ?? seoul), clock: clock, work: work,
            monitor: RunMonitor(), logger: Logger(label: "test"))
        let services = ServiceGroup(configuration: .init(services: [scheduler], logger: Logger(label: "test")))
        group.withLock { $0 = services }
        try await services.run()
        return work.runs
    }

    @Test func runsEachJobAtItsMinuteAcrossADayBoundary() async throws {
        let runs = try await runs(from: kst("20261120", 22, 0), limit: 8, finished: [CalendarDay("20261119")!])
        #expect(
            runs == [
                "hourly 20261120 at 20261120 22:10", "hourly 20261120 at 20261120 23:10", "hourly 20261121 at 20261121 00:10",
                "hourly 20261121 at 20261121 01:10", "hourly 20261121 at 20261121 02:10", "daily 20261120 at 20261121 02:30",
                "hourly 20261121 at 20261121 03:10", "hourly 20261121 at 20261121 04:10",
            ])
    }

    @Test func aMissedDailyRunIsCaughtUpOnceOnStart() async throws {
        // Started at 05:00 with yesterday not finished: the daily run of 02:30 is made at once, and the
        // next daily run is the next day's.
        let runs = try await runs(from: kst("20261121", 5, 0), limit: 24, finished: [])
        #expect(runs.first == "daily 20261120 at 20261121 05:00")
        #expect(runs.filter { $0.hasPrefix("daily") } == ["daily 20261120 at 20261121 05:00", "daily 20261121 at 20261122 02:30"])
        #expect(runs.count { $0.hasPrefix("hourly") } == 22)
    }

    @Test func aFinishedDayIsNotCaughtUp() async throws {
        let runs = try await runs(from: kst("20261121", 5, 0), limit: 1, finished: [CalendarDay("20261120")!])
        #expect(runs == ["hourly 20261121 at 20261121 05:10"])
    }

    @Test func timesAreTheConfiguredZonesWallClockNotTheHosts() async throws {
        // India is 5:30 ahead of UTC, 3:30 behind Seoul: 02:30 there is 06:00 in Seoul, :10 there is :40.
        let kolkata = TimeZone(identifier: "Asia/Kolkata")!
        let runs = try await runs(from: kst("20261121", 5, 0), limit: 3, finished: [CalendarDay("20261119")!, CalendarDay("20261120")!], timeZone: kolkata)
        #expect(runs == ["hourly 20261121 at 20261121 05:40", "daily 20261120 at 20261121 06:00", "hourly 20261121 at 20261121 06:40"])
    }

    @Test func hoursMissedWhileBusyAreRunOnceNotOncePerHour() {
        let schedule = JobSchedule(hourlyMinute: 10, dailyHour: 2, dailyMinute: 30, timeZone: seoul)
        let due = schedule.due(after: kst("20261121", 1, 0), through: kst("20261121", 5, 30))
        #expect(due.map(\.description) == ["daily for 20261120", "hourly for 20261121"])
        #expect(due.map(\.at) == [kst("20261121", 2, 30), kst("20261121", 5, 10)])
    }

    /// Takes `duration` over each run, after saying it started. Stands in for a long job.
    struct SlowWork: ScheduledWork {
        let duration: Duration
        let started: AsyncStream<Void>.Continuation

        func perform(_ run: JobSchedule.Run, now: Date) async throws -> Int {
            started.yield()
            try await Task.sleep(for: duration)
            return 7
        }

        func dailyFinished(_ day: CalendarDay) async throws -> Bool { false }
    }

    /// Starts a scheduler whose first run (the catch-up) takes `duration`, shuts it down gracefully
    /// while that run is in progress, and returns what the monitor recorded.
    func shutDownDuringARun(taking duration: Duration, grace: Duration) async throws -> [RunMonitor.Entry] {
        let (started, continuation) = AsyncStream.makeStream(of: Void.self)
        let monitor = RunMonitor()
        let scheduler = JobScheduler(
            schedule: JobSchedule(hourlyMinute: 10, dailyHour: 2, dailyMinute: 30, timeZone: seoul),
            clock: HandSetClock(kst("20261121", 5, 0)), work: SlowWork(duration: duration, started: continuation), monitor: monitor,
            logger: Logger(label: "test"))
        var configuration = ServiceGroupConfiguration(services: [scheduler], logger: Logger(label: "test"))
        configuration.maximumGracefulShutdownDuration = grace
        let group = ServiceGroup(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try? await group.run() }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        return monitor.entries
    }

    @Test func aRunInProgressAtShutdownFinishesWithinTheGraceAndNothingStartsAfter() async throws {
        let entries = try await shutDownDuringARun(taking: .milliseconds(300), grace: .seconds(30))
        #expect(entries.map(\.outcome) == [.succeeded])
        #expect(entries.map(\.rows) == [7])
    }

    @Test func aRunThatOutlastsTheGraceIsAbandoned() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let entries = try await shutDownDuringARun(taking: .seconds(120), grace: .milliseconds(200))
        #expect(entries.map(\.outcome) == [.abandoned])
        #expect(clock.now - start < .seconds(60))
    }
}
