/// The classic rule's settings: anomaly when z >= zScore or observed/mean >= ratio.
public struct DetectionThresholds: Sendable, Hashable {
    public var zScore: Double
    public var ratio: Double
    /// Baselines with fewer non-anomalous days than this are not judged.
    public var minSamples: Int

    public init(zScore: Double = 3.0, ratio: Double = 2.0, minSamples: Int = 5) {
        self.zScore = zScore
        self.ratio = ratio
        self.minSamples = minSamples
    }
}
