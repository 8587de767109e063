import Foundation

/// Computes baselines from daily costs, leaving out days marked as anomalies.
public struct BaselineCalculator: Sendable {
    /// How many days, ending with the window's last day, a baseline covers.
    public var windowDays: Int

    public init(windowDays: Int = 30) {
        precondition(windowDays > 0, "a baseline window needs at least one day")
        self.windowDays = windowDays
    }

    /// The window of days whose costs make the baseline used from `end`'s next day on.
    public func window(endingOn end: CalendarDay) -> ClosedRange<CalendarDay> {
        end.adding(days: -(windowDays - 1))...end
    }

    /// One baseline per key that has at least one non-anomalous day inside `window`.
    public func baselines(
        from costs: some Sequence<DailyCost>, window: ClosedRange<CalendarDay>, computedAt: Date
    ) -> [Baseline] {
        baselines(from: CostHistory(costs), window: window, computedAt: computedAt)
    }

    /// The same from amounts a store read in one pass.
    public func baselines(from history: CostHistory, window: ClosedRange<CalendarDay>, computedAt: Date) -> [Baseline] {
        baselines(from: history, replacing: nil, with: [], window: window, computedAt: computedAt)
    }

    /// The baselines of `history` with `day`'s entries dropped and `costs` in their place, without
    /// making that history: a day's costs for every key beside months of history would otherwise be
    /// held twice. `costs` are `day`'s, one per key.
    public func baselines(
        from history: CostHistory, replacing day: CalendarDay?, with costs: [DailyCost], window: ClosedRange<CalendarDay>,
        computedAt: Date
    ) -> [Baseline] {
        precondition(costs.allSatisfy { $0.date == day }, "the costs replace the day they are of")
        let first = Int32(window.lowerBound.daysSinceEpoch), last = Int32(window.upperBound.daysSinceEpoch)
        let dropped = day.map { Int32($0.daysSinceEpoch) }
        let dayCounts = dropped.map { (first...last).contains($0) } ?? false
        func baseline(_ key: CostKey, _ entries: [CostHistory.Entry], adding cost: DailyCost?) -> Baseline? {
            var values = entries.filter { $0.day >= first && $0.day <= last && $0.day != dropped && !$0.isAnomaly }.map(\.amount)
            if let cost, dayCounts, !cost.isAnomaly { values.append(cost.expectAmount.doubleValue) }
            return SampleStatistics(values).map {
                Baseline(key: key, statistics: $0, windowStart: window.lowerBound, windowEnd: window.upperBound, computedAt: computedAt)
            }
        }
        var result = costs.compactMap { baseline($0.key, history.entries[$0.key] ?? [], adding: $0) }
        let costKeys = Set(costs.lazy.map(\.key))
        for (key, entries) in history.entries where !costKeys.contains(key) {
            if let made = baseline(key, entries, adding: nil) { result.append(made) }
        }
        result.sort { $0.key < $1.key }
        return result
    }
}
