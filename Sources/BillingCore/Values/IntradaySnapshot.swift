/// One key's cost so far at one hour of a day, as the hourly job saw it: what teaches how a day
/// usually accrues.
public struct IntradaySnapshot: Sendable, Hashable {
    public var date: CalendarDay
    public var hour: Int
    public var key: CostKey
    /// The day's cumulative expectAmount at that hour.
    public var expectAmount: ExactDecimal

    public init(date: CalendarDay, hour: Int, key: CostKey, expectAmount: ExactDecimal) {
        self.date = date
        self.hour = hour
        self.key = key
        self.expectAmount = expectAmount
    }
}
