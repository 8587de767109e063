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
        var samples: [CostKey: [Double]] = [:]
        for cost in costs where window.contains(cost.date) && !cost.isAnomaly {
            samples[cost.key, default: []].append(cost.expectAmount.doubleValue)
        }
        return samples.compactMap { key, values in
            SampleStatistics(values).map {
                Baseline(
                    key: key, statistics: $0, windowStart: window.lowerBound,
                    windowEnd: window.upperBound, computedAt: computedAt)
            }
        }.sorted { $0.key < $1.key }
    }
}
