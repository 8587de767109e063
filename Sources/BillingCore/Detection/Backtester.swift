import Foundation

/// Replays a key's history day by day, judging each day only with the days before it, as the daily
/// job would have, and returns the days it would have flagged.
public struct Backtester: Sendable {
    public struct Flag: Sendable, Hashable {
        public var day: CalendarDay
        public var observed: Double
        public var expected: Double
        public var zScore: Double?
        public var ratio: Double
        public var detector: String

        public var impact: Double { observed - expected }
    }

    public var detector: AnomalyDetector

    public init(detector: AnomalyDetector) {
        self.detector = detector
    }

    /// The flagged days of `series` that fall in `days`.
    public func flags(_ series: DailySeries, in days: ClosedRange<CalendarDay>) -> [Flag] {
        var flagged: Set<Int> = []
        var flags: [Flag] = []
        for index in series.values.indices {
            let day = series.day(at: index)
            guard days.contains(day) else { continue }
            let history = DailySeries(start: series.start, values: Array(series.values[..<index]))
            let observed = series.values[index]
            switch detector {
            case .seasonal(let seasonal):
                let assessment = seasonal.assess(observed: observed, on: day, history: history)
                guard assessment.isAnomaly, let expected = assessment.expected else { continue }
                flags.append(
                    Flag(day: day, observed: observed, expected: expected, zScore: assessment.zScore,
                        ratio: assessment.ratio ?? 0, detector: SeasonalDetector.name))
            case .classic(let classic, let calculator):
                let baselineDays = calculator.windowDays
                // The daily job's baseline: the window before the day, without days already flagged.
                let first = SeasonalDetector.trimmed(history).start
                let samples = (max(0, index - baselineDays)..<index)
                    .filter { !flagged.contains($0) && series.day(at: $0) >= first }
                    .map { series.values[$0] }
                guard let statistics = SampleStatistics(samples) else { continue }
                let baseline = Baseline(
                    key: CostKey(domainId: "", projectId: "", serviceId: ""), statistics: statistics, windowStart: day,
                    windowEnd: day, computedAt: Date(timeIntervalSince1970: 0))
                let judgement = classic.judge(observed: ExactDecimal(String(format: "%.6f", observed)) ?? .zero, against: baseline)
                guard judgement.isAnomaly else { continue }
                flagged.insert(index)
                flags.append(
                    Flag(day: day, observed: observed, expected: statistics.mean, zScore: judgement.zScore,
                        ratio: judgement.ratio ?? 0, detector: ClassicDetector.name))
            }
        }
        return flags
    }
}
