import BillingCore
import BillingPipeline
import Foundation

extension BillingApp {
    /// Sends a sample anomaly through each configured channel (or the one named) and reports each
    /// outcome; webhook URLs never appear in the report.
    public func testAlerts(channel name: String?, now: Date) async throws -> [ChannelOutcome] {
        let channels = makeAlerter().channels.filter { name == nil || $0.name == name }
        guard !channels.isEmpty else {
            let names = makeAlerter().channels.map(\.name).joined(separator: ", ")
            throw AlertTestError("no configured channel is called '\(name ?? "")'; the configured ones are \(names)")
        }
        // Each failure is reported once, below, not also as the alerter's warning.
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .error)
        let outcomes = await Alerter(channels: channels).send(.anomalies([Self.sampleAnomaly(now: now, timeZone: configuration.timeZone)]), logger: quiet)
        for outcome in outcomes {
            output("\(outcome.channel.padding(toLength: 10, withPad: " ", startingAt: 0)) \(outcome.delivered ? "ok" : "FAILED: \(outcome.failure ?? "")")")
        }
        return outcomes
    }

    /// A test anomaly that says it is one.
    static func sampleAnomaly(now: Date, timeZone: TimeZone) -> Anomaly {
        let (day, hour) = CalendarDay.containing(now, in: timeZone)
        let cost = DailyCost(
            date: day, key: CostKey(domainId: "test-domain", projectId: "test-project", serviceId: "0"), domainName: "billing-alert",
            projectName: "alert test", serviceName: "Test message (not a real anomaly)", expectAmount: ExactDecimal(250_000))
        let baseline = Baseline(
            key: cost.key, statistics: SampleStatistics(count: 30, mean: 100_000, std: 10_000, min: 80_000, max: 120_000, p50: 100_000, p95: 115_000),
            windowStart: day.adding(days: -30), windowEnd: day.adding(days: -1), computedAt: now)
        let judgement = ClassicDetector().judge(observed: cost.expectAmount, against: baseline)
        return Anomaly(
            date: day, hour: hour, cost: cost, baseline: baseline, judgement: judgement, thresholds: DetectionThresholds(),
            detector: "test", detectedAt: now)
    }
}

public struct AlertTestError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
