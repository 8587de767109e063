import Foundation

/// The detector the jobs use: `seasonal` by default, or the tutorial's `classic` rule.
public enum AnomalyDetector: Sendable {
    case classic(ClassicDetector, BaselineCalculator)
    case seasonal(SeasonalDetector)

    public static let names = [SeasonalDetector.name, ClassicDetector.name]

    public var name: String {
        switch self {
        case .classic: return ClassicDetector.name
        case .seasonal: return SeasonalDetector.name
        }
    }

    /// How many days before the judged day the detector reads.
    public var historyDays: Int {
        switch self {
        case .classic(_, let calculator): return calculator.windowDays
        case .seasonal(let seasonal): return seasonal.settings.historyDays
        }
    }

    /// Judges each cost of `day` with each key's amounts before it and returns the anomalies, sorted
    /// by key. Drivers are left for the caller to find (`DriverFinder`), from the few keys that turned
    /// out unusual, so history need not carry every key's parts.
    ///
    /// `hour` is recorded on each anomaly; `accrued` gives, per key, the share of the day expected by
    /// now and its spread (the seasonal detector's intraday view; 1 for a whole day).
    public func scan(
        _ costs: [DailyCost], day: CalendarDay, history: CostHistory, hour: Int,
        accrued: (CostKey) -> (share: Double, spread: Double) = { _ in (1, 0) }, detectedAt: Date
    ) -> [Anomaly] {
        switch self {
        case .classic(let classic, let calculator):
            let baselines = calculator.baselines(
                from: history, window: calculator.window(endingOn: day.adding(days: -1)), computedAt: detectedAt)
            return classic.scan(
                costs, baselines: Dictionary(uniqueKeysWithValues: baselines.map { ($0.key, $0) }), hour: hour,
                detectedAt: detectedAt)
        case .seasonal(let seasonal):
            return costs.compactMap { cost -> Anomaly? in
                let series = DailySeries(costs: history.before(day, of: cost.key), through: day.adding(days: -1))
                let (share, spread) = accrued(cost.key)
                let assessment = seasonal.assess(
                    observed: cost.expectAmount.doubleValue, on: day, history: series, accrued: share, accruedSpread: spread)
                guard assessment.isAnomaly else { return nil }
                return Anomaly(cost: cost, hour: hour, assessment: assessment, settings: seasonal.settings, detectedAt: detectedAt)
            }.sorted { $0.key < $1.key }
        }
    }
}

extension Anomaly {
    /// An anomaly the seasonal detector found.
    init(cost: DailyCost, hour: Int, assessment: Assessment, settings: SeasonalDetector.Settings, detectedAt: Date) {
        let expected = assessment.expected ?? 0
        let spread = max(0, ((assessment.high ?? expected) - expected) / 3)
        self.init(
            date: cost.date, hour: hour, key: cost.key, domainName: cost.domainName, projectName: cost.projectName,
            serviceName: cost.serviceName, observed: cost.expectAmount, baselineMean: expected, baselineStd: spread,
            zScore: assessment.zScore, ratio: assessment.ratio.map { $0.isFinite ? $0 : 999 } ?? 0,
            zScoreThreshold: settings.zScore, ratioThreshold: settings.ratio, detector: SeasonalDetector.name,
            status: "open", notification: NotificationState(), detectedAt: detectedAt)
        explanation = AnomalyExplanation(
            expected: expected, low: assessment.low, high: assessment.high, impact: assessment.impact, reason: assessment.reason,
            rarity: assessment.rarity)
    }
}
