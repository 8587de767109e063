import BillingApp
import BillingCore
import BillingPipeline
import Foundation

/// The app's own jobs, as the scheduler runs them: the same as `billing-alert daily` and `hourly`.
struct AppWork: ScheduledWork {
    let app: BillingApp

    func perform(_ run: JobSchedule.Run, now: Date) async throws -> Int {
        switch run.job {
        case .daily: return try await app.runDaily(day: run.day, now: now).total.rowCount
        case .hourly: return try await app.runHourly(day: run.day, now: now).costs.reduce(0) { $0 + $1.rowCount }
        }
    }

    func dailyFinished(_ day: CalendarDay) async throws -> Bool {
        try await app.withStore { try await $0.completedDays(of: .daily, in: day...day) }.contains(day)
    }
}
