import BillingCore

/// Today's cumulative cost per key at each hour the hourly job ran, to learn how a day usually accrues.
public protocol IntradayLog: Sendable {
    /// Snapshots taken at `hour` on days in `days`.
    func intradaySnapshots(in days: ClosedRange<CalendarDay>, hour: Int) async throws -> [IntradaySnapshot]
}
