import BillingCore

/// Which days each job has finished; backfill skips those, which makes it resumable.
public protocol JobLedger: Sendable {
    /// Finished runs with dates in `days`, sorted by job then date.
    func jobRuns(in days: ClosedRange<CalendarDay>) async throws -> [JobRun]
}

extension JobLedger {
    public func completedDays(of job: JobName, in days: ClosedRange<CalendarDay>) async throws -> Set<CalendarDay> {
        Set(try await jobRuns(in: days).filter { $0.job == job }.map(\.date))
    }
}
