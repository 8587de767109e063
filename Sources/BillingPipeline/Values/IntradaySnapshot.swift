import BillingCore

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
