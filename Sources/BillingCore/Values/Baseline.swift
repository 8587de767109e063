import Foundation

/// What a key's daily cost usually is, computed from recent days that were not anomalies.
public struct Baseline: Sendable, Hashable {
    public var key: CostKey
    public var mean: Double
    /// Sample standard deviation (n - 1); 0 with a single sample.
    public var std: Double
    public var min: Double
    public var max: Double
    public var p50: Double
    public var p95: Double
    public var sampleCount: Int
    /// First and last day of the window the statistics cover.
    public var windowStart: CalendarDay
    public var windowEnd: CalendarDay
    public var computedAt: Date

    public init(
        key: CostKey, statistics: SampleStatistics, windowStart: CalendarDay, windowEnd: CalendarDay,
        computedAt: Date
    ) {
        self.key = key
        self.mean = statistics.mean
        self.std = statistics.std
        self.min = statistics.min
        self.max = statistics.max
        self.p50 = statistics.p50
        self.p95 = statistics.p95
        self.sampleCount = statistics.count
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.computedAt = computedAt
    }
}
