/// What a detector concluded about one observed cost.
public struct Judgement: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// The baseline cannot support a verdict (too few samples, or a mean of zero or less).
        case notJudged(reason: String)
        case normal
        case anomaly
    }

    public var outcome: Outcome
    /// Nil when the baseline's standard deviation is 0, or when not judged.
    public var zScore: Double?
    /// Nil when not judged.
    public var ratio: Double?

    public init(outcome: Outcome, zScore: Double? = nil, ratio: Double? = nil) {
        self.outcome = outcome
        self.zScore = zScore
        self.ratio = ratio
    }

    public var isAnomaly: Bool { outcome == .anomaly }
}
