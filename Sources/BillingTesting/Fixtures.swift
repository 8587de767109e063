import BillingCore
import Foundation

/// Values for tests, with every field filled the way the pipeline fills it.
public enum Fixtures {
    public static let key = CostKey(domainId: "dom-1", projectId: "prj-1", serviceId: "1")

    public static func anomaly(
        date: String = "20261125", hour: Int = 14, key: CostKey = key, observed: String = "250000.50",
        mean: Double = 100_000, std: Double = 10_000
    ) -> Anomaly {
        let day = CalendarDay(date)!
        let cost = DailyCost(
            date: day, key: key, domainName: "Acme", projectName: "storefront", serviceName: "Virtual Machine",
            expectAmount: ExactDecimal(observed)!)
        let baseline = Baseline(
            key: key, statistics: SampleStatistics(count: 30, mean: mean, std: std, min: mean, max: mean, p50: mean, p95: mean),
            windowStart: day.adding(days: -30), windowEnd: day.adding(days: -1), computedAt: Date(timeIntervalSince1970: 0))
        let judgement = ClassicDetector().judge(observed: cost.expectAmount, against: baseline)
        return Anomaly(
            date: day, hour: hour, cost: cost, baseline: baseline, judgement: judgement,
            thresholds: DetectionThresholds(), detector: ClassicDetector.name, detectedAt: Date(timeIntervalSince1970: 1_790_000_000))
    }
}
