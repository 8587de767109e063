import BillingCore
import Foundation

public enum JobName: String, Sendable, Hashable, CaseIterable {
    case daily, hourly, reprocess
}

/// A finished run of a job for one day.
public struct JobRun: Sendable, Hashable {
    public var job: JobName
    public var date: CalendarDay
    public var rowCount: Int
    public var keyCount: Int
    public var finishedAt: Date

    public init(job: JobName, date: CalendarDay, rowCount: Int, keyCount: Int, finishedAt: Date) {
        self.job = job
        self.date = date
        self.rowCount = rowCount
        self.keyCount = keyCount
        self.finishedAt = finishedAt
    }
}
