/// Finds the rows within a key that drove its change: the pricing type and region whose cost rose the
/// most over its usual level (the median of the same part over the last seven days it was billed).
public enum DriverFinder {
    /// `accrued` scales the usual level to the share of a day billed so far (1 for a whole day).
    public static func driver(of cost: DailyCost, history: [DailyCost], accrued: Double = 1) -> String? {
        let recent = history.filter { $0.key == cost.key && $0.date < cost.date }.sorted { $0.date > $1.date }.prefix(7)
        var best: (label: String, increase: Double)?
        for part in cost.parts {
            let usual = recent.compactMap { day in
                day.parts.first { $0.pricingType == part.pricingType && $0.region == part.region }?.expectAmount.doubleValue ?? 0
            }
            let level = usual.isEmpty ? 0 : SampleStatistics.percentile(usual.sorted(), 0.5) * accrued
            let increase = part.expectAmount.doubleValue - level
            if increase > (best?.increase ?? 0) { best = (part.label, increase) }
        }
        return best.map { "\($0.label) (+\(AmountText.grouped($0.increase)))" }
    }
}
