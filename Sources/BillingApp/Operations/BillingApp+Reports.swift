import BillingCore
import BillingPipeline
import ObjectArchive
import Foundation

extension BillingApp {
    /// Daily costs in `days`, one row per day and key.
    public func costsTable(days: ClosedRange<CalendarDay>) async throws -> Table {
        let costs = try await withStore { try await $0.dailyCosts(in: days) }
        return Table(
            columns: [
                "date", "domainId", "domainName", "projectId", "projectName", "serviceId", "serviceName",
                "expectAmount", "generalAmount", "discountAmount", "usageTime", "usageSize", "pricingTypes", "regions",
                "rowCount", "isAnomaly",
            ],
            rows: costs.map { cost in
                [
                    .text(cost.date.compact), .text(cost.key.domainId), .text(cost.domainName), .text(cost.key.projectId),
                    .text(cost.projectName), .text(cost.key.serviceId), .text(cost.serviceName),
                    .number(cost.expectAmount.description), .number(cost.generalAmount.description),
                    .number(cost.discountAmount.description), .number(cost.usageTime.description),
                    .number(cost.usageSize.description), .list(cost.pricingTypes), .list(cost.regions),
                    .number(String(cost.rowCount)), .bool(cost.isAnomaly),
                ]
            })
    }

    /// The current baselines, with the names the latest daily rows carry.
    public func baselinesTable() async throws -> Table {
        let (baselines, names) = try await withStore { store in
            let baselines = try await store.baselines()
            var names: [CostKey: DailyCost] = [:]
            if let end = baselines.map(\.windowEnd).max(), let start = baselines.map(\.windowStart).min() {
                for cost in try await store.dailyCosts(in: start...end) { names[cost.key] = cost }
            }
            return (baselines, names)
        }
        return Table(
            columns: [
                "domainId", "projectId", "projectName", "serviceId", "serviceName", "mean", "std", "min", "max", "p50",
                "p95", "sampleCount", "windowStart", "windowEnd", "computedAt",
            ],
            rows: baselines.map { baseline in
                [
                    .text(baseline.key.domainId), .text(baseline.key.projectId), .text(names[baseline.key]?.projectName ?? ""),
                    .text(baseline.key.serviceId), .text(names[baseline.key]?.serviceName ?? ""), Self.statistic(baseline.mean),
                    Self.statistic(baseline.std), Self.statistic(baseline.min), Self.statistic(baseline.max),
                    Self.statistic(baseline.p50), Self.statistic(baseline.p95), .number(String(baseline.sampleCount)),
                    .text(baseline.windowStart.compact), .text(baseline.windowEnd.compact),
                    .text(baseline.computedAt.formatted(.iso8601)),
                ]
            })
    }

    /// Anomalies in `days`, oldest first, with their ids and what people said of them.
    public func anomaliesTable(days: ClosedRange<CalendarDay>) async throws -> Table {
        let (anomalies, feedback) = try await withStore { store in
            (try await store.anomalies(in: days), try await store.feedback(in: days))
        }
        let verdicts = Dictionary(feedback.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        return Table(
            columns: [
                "id", "date", "hour", "domainId", "domainName", "projectId", "projectName", "serviceId", "serviceName",
                "observed", "baselineMean", "baselineStd", "zScore", "ratio", "zScoreThreshold", "ratioThreshold",
                "detector", "status", "notifyStatus", "detectedAt", "expected", "expectedLow", "expectedHigh", "impact", "reason", "driver",
                "rarityDays", "rarity", "notifyDetail", "feedback", "feedbackNote",
            ],
            rows: anomalies.map { anomaly in
                let said = verdicts[anomaly.id]
                return [
                    .text(anomaly.id.description), .text(anomaly.date.compact), .number(String(anomaly.hour)), .text(anomaly.key.domainId),
                    .text(anomaly.domainName), .text(anomaly.key.projectId), .text(anomaly.projectName),
                    .text(anomaly.key.serviceId), .text(anomaly.serviceName), .number(anomaly.observed.description),
                    Self.statistic(anomaly.baselineMean), Self.statistic(anomaly.baselineStd),
                    anomaly.zScore.map(Self.statistic) ?? .null, Self.statistic(anomaly.ratio),
                    Self.statistic(anomaly.zScoreThreshold), Self.statistic(anomaly.ratioThreshold),
                    .text(anomaly.detector), .text(anomaly.status), .text(anomaly.notification.status.rawValue),
                    .text(anomaly.detectedAt.formatted(.iso8601)),
                    anomaly.explanation.expected.map(Self.statistic) ?? .null,
                    anomaly.explanation.low.map(Self.statistic) ?? .null,
                    anomaly.explanation.high.map(Self.statistic) ?? .null,
                    anomaly.explanation.impact.map(Self.statistic) ?? .null,
                    anomaly.explanation.reason.map(Table.Cell.text) ?? .null,
                    anomaly.explanation.driver.map(Table.Cell.text) ?? .null,
                    anomaly.explanation.rarity.map { .number(String($0.days)) } ?? .null,
                    anomaly.explanation.rarity.map { .text($0.text) } ?? .null,
                    anomaly.notification.detail.map(Table.Cell.text) ?? .null,
                    said.map { .text($0.verdict.rawValue) } ?? .null, said?.note.map(Table.Cell.text) ?? .null,
                ]
            })
    }

    /// The finished job runs dated in `days`, by job then date: what each fetched and when it finished.
    public func runsTable(days: ClosedRange<CalendarDay>) async throws -> Table {
        let runs = try await withStore { try await $0.jobRuns(in: days) }
        return Table(
            columns: ["job", "date", "rowCount", "keyCount", "finishedAt"],
            rows: runs.map { run in
                [
                    .text(run.job.rawValue), .text(run.date.compact), .number(String(run.rowCount)), .number(String(run.keyCount)),
                    .text(run.finishedAt.formatted(.iso8601)),
                ]
            })
    }

    /// The raw days waiting in the spool for the archive, oldest first; none for a folder archive.
    public func spooledDays() -> [String] {
        guard let archive = makeArchive() as? SpoolingArchive else { return [] }
        return ((try? archive.spool.keys()) ?? []).sorted()
    }

    /// Statistics are doubles; four decimals are plenty and keep JSON free of binary noise.
    public static func statistic(_ value: Double) -> Table.Cell {
        guard value.isFinite else { return .null }
        return .number(ExactDecimal(String(format: "%.4f", value))?.description ?? "0")
    }
}
