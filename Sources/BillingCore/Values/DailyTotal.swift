/// A day's bill across every key, as the daily job reports it.
public struct DailyTotal: Sendable, Hashable {
    public var date: CalendarDay
    public var expectAmount: ExactDecimal
    public var keyCount: Int
    public var rowCount: Int
    public var anomalyCount: Int

    public init(date: CalendarDay, costs: [DailyCost], anomalyCount: Int) {
        self.date = date
        self.expectAmount = costs.reduce(.zero) { $0 + $1.expectAmount }
        self.keyCount = costs.count
        self.rowCount = costs.reduce(0) { $0 + $1.rowCount }
        self.anomalyCount = anomalyCount
    }
}
