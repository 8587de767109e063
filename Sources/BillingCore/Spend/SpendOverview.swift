/// The bill at a glance, from each service's daily totals: this month so far against the same days of
/// last month, where the month is heading, and the daily totals by service for a chart.
public struct SpendOverview: Sendable, Hashable {
    /// A month-end forecast: the month so far plus the days left at a typical day's cost, with a range
    /// from a cheap day's (the 10th percentile of the last four weeks) to an expensive day's (the 90th).
    public struct Forecast: Sendable, Hashable {
        public var expected: Double
        public var low: Double
        public var high: Double
        public var daysLeft: Int
    }

    /// One day's total split by service: the chart's bar.
    public struct Day: Sendable, Hashable {
        public var date: CalendarDay
        /// Amounts in the order of `services`, the last being every other service.
        public var amounts: [ExactDecimal]

        public var total: ExactDecimal { amounts.reduce(ExactDecimal.zero, +) }
    }

    /// The last day with costs: the overview runs through it.
    public var through: CalendarDay
    public var monthToDate: ExactDecimal
    /// The same days of the month before (through the same day number, or that month's last day).
    public var lastMonthSameDays: ExactDecimal
    /// Days with a cost this month so far, and on the same days of last month: a comparison means
    /// little when last month's are missing from the store.
    public var monthDaysWithCost: Int
    public var lastMonthDaysWithCost: Int
    public var forecast: Forecast?
    /// The services with the largest totals over the chart's days, then "Other services" when more.
    public var services: [String]
    public var days: [Day]

    /// `totals` for days up to `through`; the chart covers the `chartDays` days ending there (from the
    /// first day with a cost, when that is later) with the `topServices` largest services named.
    public init(totals: [ServiceDayTotal], through: CalendarDay, chartDays: Int = 90, topServices: Int = 6) {
        self.through = through
        let monthStart = CalendarDay(year: through.year, month: through.month, day: 1) ?? through
        let previousMonthLast = monthStart.adding(days: -1)
        let previousStart = CalendarDay(year: previousMonthLast.year, month: previousMonthLast.month, day: 1) ?? previousMonthLast
        let previousEnd = CalendarDay(year: previousStart.year, month: previousStart.month, day: min(through.day, previousMonthLast.day)) ?? previousMonthLast
        var byDay: [CalendarDay: ExactDecimal] = [:]
        for total in totals where total.date <= through { byDay[total.date, default: .zero] = byDay[total.date, default: .zero] + total.amount }
        let month = byDay.filter { (monthStart...through).contains($0.key) }.values
        let lastMonth = byDay.filter { (previousStart...previousEnd).contains($0.key) }.values
        monthToDate = month.reduce(ExactDecimal.zero, +)
        lastMonthSameDays = lastMonth.reduce(ExactDecimal.zero, +)
        monthDaysWithCost = month.count
        lastMonthDaysWithCost = lastMonth.count

        let recent = (0..<28).compactMap { byDay[through.adding(days: -$0)]?.doubleValue }.sorted()
        let monthEnd = CalendarDay(year: through.year, month: through.month, day: CalendarDay.daysIn(month: through.month, year: through.year))
        let daysLeft = through.days(until: monthEnd ?? through)
        if recent.count >= 7 {
            let lastTwoWeeks = (0..<14).compactMap { byDay[through.adding(days: -$0)]?.doubleValue }.sorted()
            let typical = SampleStatistics.percentile(lastTwoWeeks, 0.5)
            let base = monthToDate.doubleValue
            forecast = Forecast(
                expected: base + typical * Double(daysLeft), low: base + SampleStatistics.percentile(recent, 0.1) * Double(daysLeft),
                high: base + SampleStatistics.percentile(recent, 0.9) * Double(daysLeft), daysLeft: daysLeft)
        }

        let first = max(through.adding(days: -(chartDays - 1)), totals.map(\.date).min() ?? through)
        let window = totals.filter { $0.date >= first && $0.date <= through }
        var serviceTotals: [String: ExactDecimal] = [:]
        var names: [String: String] = [:]
        for total in window {
            serviceTotals[total.serviceId, default: .zero] = serviceTotals[total.serviceId, default: .zero] + total.amount
            names[total.serviceId] = total.serviceName.isEmpty ? total.serviceId : total.serviceName
        }
        let ranked = serviceTotals.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }.map(\.key)
        let named = Array(ranked.prefix(topServices))
        let hasOther = ranked.count > named.count
        let columns = named.map { names[$0] ?? $0 } + (hasOther ? ["Other services"] : [])
        services = columns
        let slot = Dictionary(uniqueKeysWithValues: named.enumerated().map { ($1, $0) })
        var grid: [CalendarDay: [ExactDecimal]] = [:]
        for total in window {
            var amounts = grid[total.date] ?? Array(repeating: .zero, count: columns.count)
            let index = slot[total.serviceId] ?? named.count
            amounts[index] = amounts[index] + total.amount
            grid[total.date] = amounts
        }
        days = (0...first.days(until: through)).map { offset in
            let date = first.adding(days: offset)
            return Day(date: date, amounts: grid[date] ?? Array(repeating: .zero, count: columns.count))
        }
    }

    /// This month so far over the same days of last month, minus one; nil without last month's cost,
    /// or when last month has costs on fewer of those days than this month.
    public var changeFromLastMonth: Double? {
        let before = lastMonthSameDays.doubleValue
        return before > 0 && lastMonthDaysWithCost >= monthDaysWithCost ? monthToDate.doubleValue / before - 1 : nil
    }
}
