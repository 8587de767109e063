/// One key's daily costs over consecutive days, oldest first: the history a detector judges a day by.
public struct DailySeries: Sendable, Hashable {
    public var start: CalendarDay
    public var values: [Double]

    public init(start: CalendarDay, values: [Double]) {
        self.start = start
        self.values = values
    }

    /// The series from scattered costs; days without a cost are 0, from the first cost on.
    public init(costs: [(day: CalendarDay, amount: Double)], through end: CalendarDay) {
        guard let first = costs.map(\.day).min(), first <= end else {
            self.init(start: end.adding(days: 1), values: [])
            return
        }
        var values = Array(repeating: 0.0, count: first.days(until: end) + 1)
        for cost in costs where cost.day <= end { values[first.days(until: cost.day)] += cost.amount }
        self.init(start: first, values: values)
    }

    public var count: Int { values.count }

    public func day(at index: Int) -> CalendarDay {
        start.adding(days: index)
    }

    /// The last `days` values, or all of them.
    public func suffix(_ days: Int) -> DailySeries {
        let dropped = max(0, values.count - days)
        return DailySeries(start: start.adding(days: dropped), values: Array(values.dropFirst(dropped)))
    }
}
