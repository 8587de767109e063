import Foundation

extension ClassicDetector {
    /// Judges every cost that has a baseline and returns the anomalies, sorted by key.
    ///
    /// `hour` is the KST hour the costs were observed at, or `Anomaly.wholeDay` for a finished day.
    public func scan(
        _ costs: [DailyCost], baselines: [CostKey: Baseline], hour: Int, detectedAt: Date
    ) -> [Anomaly] {
        costs.compactMap { cost in
            guard let baseline = baselines[cost.key] else { return nil }
            let judgement = judge(observed: cost.expectAmount, against: baseline)
            guard judgement.isAnomaly else { return nil }
            return Anomaly(
                date: cost.date, hour: hour, cost: cost, baseline: baseline, judgement: judgement,
                thresholds: thresholds, detector: Self.name, detectedAt: detectedAt)
        }.sorted { $0.key < $1.key }
    }
}
