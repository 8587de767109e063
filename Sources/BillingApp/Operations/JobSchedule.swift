import BillingCore
import Foundation

/// When `serve` runs the jobs: the hourly job at a minute past every hour and the daily job once a day,
/// as wall-clock times in the configured time zone, never the host's.
public struct JobSchedule: Sendable {
    public enum Job: String, Sendable, Hashable, CaseIterable {
        case daily
        case hourly
    }

    /// One run the schedule asks for: which job, when, and the day it works on (yesterday for the
    /// daily job, today for the hourly one).
    public struct Run: Sendable, Hashable, CustomStringConvertible {
        public var job: Job
        public var at: Date
        public var day: CalendarDay

        public var description: String { "\(job) for \(day.compact)" }
    }

    public var hourlyMinute: Int
    public var dailyHour: Int
    public var dailyMinute: Int
    public var timeZone: TimeZone

    public init(hourlyMinute: Int, dailyHour: Int, dailyMinute: Int, timeZone: TimeZone) {
        self.hourlyMinute = hourlyMinute
        self.dailyHour = dailyHour
        self.dailyMinute = dailyMinute
        self.timeZone = timeZone
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The first hourly run strictly after `instant`.
    public func nextHourly(after instant: Date) -> Run {
        let calendar = calendar
        var hour = calendar.dateInterval(of: .hour, for: instant)?.start ?? instant
        while true {
            let at = hour.addingTimeInterval(TimeInterval(hourlyMinute * 60))
            if at > instant { return Run(job: .hourly, at: at, day: CalendarDay.containing(at, in: timeZone).day) }
            hour = hour.addingTimeInterval(3600)
        }
    }

    /// The first daily run strictly after `instant`.
    public func nextDaily(after instant: Date) -> Run {
        daily(from: instant, step: 1) { $0 > instant }
    }

    /// The latest daily run at or before `instant`: the one a process that was not running missed.
    public func lastDaily(atOrBefore instant: Date) -> Run {
        daily(from: instant, step: -1) { $0 <= instant }
    }

    /// Every run due in `(after, through]`, each job once, at its latest time there: a process that was
    /// busy or asleep past several hourly times runs the hourly job once, not once per missed hour. The
    /// daily run comes first.
    public func due(after start: Date, through end: Date) -> [Run] {
        guard end > start else { return [] }
        let daily = lastDaily(atOrBefore: end)
        let hourly = nextHourly(after: end.addingTimeInterval(-3600))
        return [daily, hourly].filter { $0.at > start && $0.at <= end }
    }

    /// The earliest time after `instant` at which a run is due.
    public func nextTime(after instant: Date) -> Date {
        min(nextHourly(after: instant).at, nextDaily(after: instant).at)
    }

    private func daily(from instant: Date, step: Int, accept: (Date) -> Bool) -> Run {
        let calendar = calendar
        var day = calendar.startOfDay(for: instant)
        while true {
            if let at = calendar.date(bySettingHour: dailyHour, minute: dailyMinute, second: 0, of: day), accept(at) {
                return Run(job: .daily, at: at, day: CalendarDay.containing(at, in: timeZone).day.adding(days: -1))
            }
            guard let next = calendar.date(byAdding: .day, value: step, to: day) else { preconditionFailure("calendar overflow") }
            day = next
        }
    }
}
