import BillingCore
import Foundation

// Each stored table's row as a value, for both stores: the columns are named as the schemas name them.

extension DailyCost {
    public init(stored row: some StoredColumns) throws {
        self.init(
            date: try row.day("date"), key: try row.key(), domainName: try row.text("domain_name"),
            projectName: try row.text("project_name"), serviceName: try row.text("service_name"),
            usageTime: try row.decimal("usage_time"), usageSize: try row.decimal("usage_size"),
            generalAmount: try row.decimal("general_amount"), discountAmount: try row.decimal("discount_amount"),
            expectAmount: try row.decimal("expect_amount"), pricingTypes: try row.list("pricing_types"),
            regions: try row.list("regions"), rowCount: try row.int("row_count"), isAnomaly: try row.bool("is_anomaly"))
        parts = try row.parts("parts")
    }
}

extension Baseline {
    public init(stored row: some StoredColumns) throws {
        let statistics = SampleStatistics(
            count: try row.int("sample_count"), mean: try row.double("mean"), std: try row.double("std"),
            min: try row.double("min"), max: try row.double("max"), p50: try row.double("p50"), p95: try row.double("p95"))
        self.init(
            key: try row.key(), statistics: statistics, windowStart: try row.day("window_start"),
            windowEnd: try row.day("window_end"), computedAt: try row.date("computed_at"))
    }
}

extension Anomaly {
    public init(stored row: some StoredColumns) throws {
        self.init(
            date: try row.day("date"), hour: try row.int("hour"), key: try row.key(),
            domainName: try row.text("domain_name"), projectName: try row.text("project_name"),
            serviceName: try row.text("service_name"), observed: try row.decimal("observed"),
            baselineMean: try row.double("baseline_mean"), baselineStd: try row.double("baseline_std"),
            zScore: try row.optionalDouble("z_score"), ratio: try row.double("ratio"),
            zScoreThreshold: try row.double("z_score_threshold"), ratioThreshold: try row.double("ratio_threshold"),
            detector: try row.text("detector"), status: try row.text("status"),
            notification: NotificationState(
                status: NotificationState.Status(rawValue: try row.text("notify_status")) ?? .pending,
                at: try row.optionalDate("notified_at"), detail: try row.optionalText("notify_detail")),
            detectedAt: try row.date("detected_at"))
        explanation = AnomalyExplanation(
            expected: try row.optionalDouble("expected"), low: try row.optionalDouble("expected_low"),
            high: try row.optionalDouble("expected_high"), impact: try row.optionalDouble("impact"),
            reason: try row.optionalText("reason"), driver: try row.optionalText("driver"))
        if let days = try row.optionalInt("rarity_days"), let historyDays = try row.optionalInt("rarity_history_days") {
            explanation.rarity = Rarity(days: days, historyDays: historyDays)
        }
    }
}

extension IntradaySnapshot {
    public init(stored row: some StoredColumns) throws {
        self.init(date: try row.day("date"), hour: try row.int("hour"), key: try row.key(), expectAmount: try row.decimal("expect_amount"))
    }
}

extension Delivery {
    public init(stored row: some StoredColumns) throws {
        self.init(
            date: try row.day("date"), hour: try row.int("hour"), key: try row.key(), channel: try row.text("channel"),
            status: Delivery.Status(rawValue: try row.text("status")) ?? .pending, attempts: try row.int("attempts"),
            lastError: try row.optionalText("last_error"))
    }
}

extension Silence {
    public init(stored row: some StoredColumns) throws {
        self.init(
            id: try row.text("id"), matchers: try row.matchers("matchers"), until: try row.day("until"),
            reason: try row.text("reason"), createdAt: try row.date("created_at"))
    }
}

extension AnomalyFeedback {
    public init(stored row: some StoredColumns) throws {
        self.init(
            date: try row.day("date"), key: try row.key(), verdict: try row.verdict("verdict"),
            note: try row.optionalText("note"), recordedAt: try row.date("recorded_at"))
    }
}

extension JobRun {
    /// Nil for a job this version does not know.
    public init?(stored row: some StoredColumns) throws {
        guard let job = JobName(rawValue: try row.text("job")) else { return nil }
        self.init(
            job: job, date: try row.day("date"), rowCount: try row.int("row_count"), keyCount: try row.int("key_count"),
            finishedAt: try row.date("finished_at"))
    }
}
