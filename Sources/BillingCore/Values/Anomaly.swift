import Foundation

/// A cost judged unusual: one per (date, hour, key). Hour 24 means the whole day, judged by the daily job.
public struct Anomaly: Sendable, Hashable {
    public static let wholeDay = 24

    public var date: CalendarDay
    public var hour: Int
    public var key: CostKey
    public var domainName: String
    public var projectName: String
    public var serviceName: String
    public var observed: ExactDecimal
    public var baselineMean: Double
    public var baselineStd: Double
    public var zScore: Double?
    public var ratio: Double
    public var zScoreThreshold: Double
    public var ratioThreshold: Double
    public var detector: String
    public var status: String
    public var notification: NotificationState
    public var detectedAt: Date
    /// Why it is an anomaly: what was expected, the normal range, the excess and the rule that fired.
    public var explanation = AnomalyExplanation()

    public init(
        date: CalendarDay, hour: Int, key: CostKey, domainName: String, projectName: String,
        serviceName: String, observed: ExactDecimal, baselineMean: Double, baselineStd: Double,
        zScore: Double?, ratio: Double, zScoreThreshold: Double, ratioThreshold: Double, detector: String,
        status: String, notification: NotificationState, detectedAt: Date
    ) {
        self.date = date
        self.hour = hour
        self.key = key
        self.domainName = domainName
        self.projectName = projectName
        self.serviceName = serviceName
        self.observed = observed
        self.baselineMean = baselineMean
        self.baselineStd = baselineStd
        self.zScore = zScore
        self.ratio = ratio
        self.zScoreThreshold = zScoreThreshold
        self.ratioThreshold = ratioThreshold
        self.detector = detector
        self.status = status
        self.notification = notification
        self.detectedAt = detectedAt
    }

    public init(
        date: CalendarDay, hour: Int, cost: DailyCost, baseline: Baseline, judgement: Judgement,
        thresholds: DetectionThresholds, detector: String, detectedAt: Date
    ) {
        self.date = date
        self.hour = hour
        self.key = cost.key
        self.domainName = cost.domainName
        self.projectName = cost.projectName
        self.serviceName = cost.serviceName
        self.observed = cost.expectAmount
        self.baselineMean = baseline.mean
        self.baselineStd = baseline.std
        self.zScore = judgement.zScore
        self.ratio = judgement.ratio ?? 0
        self.zScoreThreshold = thresholds.zScore
        self.ratioThreshold = thresholds.ratio
        self.detector = detector
        self.status = "open"
        self.notification = NotificationState()
        self.detectedAt = detectedAt
        self.explanation = AnomalyExplanation(
            expected: baseline.mean, low: nil, high: baseline.mean + thresholds.zScore * baseline.std,
            impact: cost.expectAmount.doubleValue - baseline.mean,
            reason: "z >= \(AlertText.fixed(thresholds.zScore)) or ratio >= \(AlertText.fixed(thresholds.ratio)) against the mean of the baseline days")
    }
}

/// What a detector expected, and why the observed cost stood out.
public struct AnomalyExplanation: Sendable, Hashable {
    public var expected: Double?
    public var low: Double?
    public var high: Double?
    /// Observed minus expected, in the bill's currency.
    public var impact: Double?
    public var reason: String?
    /// The pricing type and region whose cost rose the most, such as `ON_DEMAND in kr-central-2 (+120,000)`.
    public var driver: String?
    /// How unusual the day is for the key; nil where its history is too short, or for the classic rule.
    public var rarity: Rarity?

    public init(
        expected: Double? = nil, low: Double? = nil, high: Double? = nil, impact: Double? = nil, reason: String? = nil,
        driver: String? = nil, rarity: Rarity? = nil
    ) {
        self.rarity = rarity
        self.expected = expected
        self.low = low
        self.high = high
        self.impact = impact
        self.reason = reason
        self.driver = driver
    }
}

/// Whether an anomaly's alert went out; kept so a rerun does not send it twice.
public struct NotificationState: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case pending, sent, failed, skipped
        /// A silence held it back; it is sent once the silence ends, if still unusual.
        case silenced
    }

    public var status: Status
    public var at: Date?
    public var detail: String?

    public init(status: Status = .pending, at: Date? = nil, detail: String? = nil) {
        self.status = status
        self.at = at
        self.detail = detail
    }
}
