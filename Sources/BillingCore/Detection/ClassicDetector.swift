/// The tutorial's rule, kept for users who want its behaviour.
///
/// Upward changes only: a cost below its baseline mean is never an anomaly. With a standard deviation
/// of 0 only the ratio rule applies, since a z-score would be infinite.
public struct ClassicDetector: Sendable {
    public static let name = "classic"

    public var thresholds: DetectionThresholds

    public init(thresholds: DetectionThresholds = DetectionThresholds()) {
        self.thresholds = thresholds
    }

    public func judge(observed: ExactDecimal, against baseline: Baseline) -> Judgement {
        guard baseline.sampleCount >= thresholds.minSamples else {
            return Judgement(
                outcome: .notJudged(
                    reason: "\(baseline.sampleCount) of \(thresholds.minSamples) baseline days"))
        }
        guard baseline.mean > 0 else {
            return Judgement(outcome: .notJudged(reason: "baseline mean is 0"))
        }
        let value = observed.doubleValue
        let ratio = value / baseline.mean
        let zScore = baseline.std > 0 ? (value - baseline.mean) / baseline.std : nil
        guard value > baseline.mean else {
            return Judgement(outcome: .normal, zScore: zScore, ratio: ratio)
        }
        let zFires = zScore.map { $0 >= thresholds.zScore } ?? false
        let ratioFires = ratio >= thresholds.ratio
        return Judgement(outcome: zFires || ratioFires ? .anomaly : .normal, zScore: zScore, ratio: ratio)
    }
}
