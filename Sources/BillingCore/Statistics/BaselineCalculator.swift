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
        let first = Int32(window.lowerBound.daysSinceEpoch), last = Int32(window.upperBound.daysSinceEpoch)
        return history.entries.compactMap { key, entries -> Baseline? in
            let values = entries.filter { $0.day >= first && $0.day <= last && !$0.isAnomaly }.map(\.amount)
            return SampleStatistics(values).map {
                Baseline(
                    key: key, statistics: $0, windowStart: window.lowerBound,
                    windowEnd: window.upperBound, computedAt: computedAt)
            }
        }.sorted { $0.key < $1.key }
    }
}
