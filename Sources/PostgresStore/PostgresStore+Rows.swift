import BillingCore
import BillingPipeline
import Foundation
import PostgresNIO

/// Reading rows back into values; money comes back as exact decimal text (`::text` in the queries).
struct StoredRow {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    func text(_ column: String) throws -> String {
        try row[column].decode(String.self)
    }

    func optionalText(_ column: String) throws -> String? {
        try row[column].decode(String?.self)
    }

    func int(_ column: String) throws -> Int {
        try row[column].decode(Int.self)
    }

    func double(_ column: String) throws -> Double {
        try row[column].decode(Double.self)
    }

    func optionalDouble(_ column: String) throws -> Double? {
        try row[column].decode(Double?.self)
    }

    func bool(_ column: String) throws -> Bool {
        try row[column].decode(Bool.self)
    }

    func date(_ column: String) throws -> Date {
        try row[column].decode(Date.self)
    }

    func optionalDate(_ column: String) throws -> Date? {
        try row[column].decode(Date?.self)
    }

    func decimal(_ column: String) throws -> ExactDecimal {
        let text = try text(column)
        guard let value = ExactDecimal(text) else { throw PostgresStoreError.corruptValue(column: column, value: text) }
        return value
    }

    func day(_ column: String) throws -> CalendarDay {
        let text = try text(column)
        guard let value = CalendarDay(text) else { throw PostgresStoreError.corruptValue(column: column, value: text) }
        return value
    }

    func list(_ column: String) throws -> [String] {
        let text = try text(column)
        guard let list = DailyCost.list(fromJSON: text) else { throw PostgresStoreError.corruptValue(column: column, value: text) }
        return list
    }

    func parts(_ column: String) throws -> [DailyCost.Part] {
        let text = try text(column)
        guard let parts = DailyCost.Part.parts(fromJSON: text) else { throw PostgresStoreError.corruptValue(column: column, value: text) }
        return parts
    }

    func matchers(_ column: String) throws -> [Silence.Matcher] {
        let text = try text(column)
        guard let matchers = try? Silence.matchers(parsing: text) else { throw PostgresStoreError.corruptValue(column: column, value: text) }
        return matchers
    }

    func verdict(_ column: String) throws -> AnomalyFeedback.Verdict {
        let text = try text(column)
        guard let verdict = AnomalyFeedback.Verdict(rawValue: text) else { throw PostgresStoreError.corruptValue(column: column, value: text) }
        return verdict
    }

    func key() throws -> CostKey {
        CostKey(domainId: try text("domain_id"), projectId: try text("project_id"), serviceId: try text("service_id"))
    }
}

extension DailyCost {
    init(row: PostgresRow) throws {
        let row = StoredRow(row)
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
    init(row: PostgresRow) throws {
        let row = StoredRow(row)
        let statistics = SampleStatistics(
            count: try row.int("sample_count"), mean: try row.double("mean"), std: try row.double("std"),
            min: try row.double("min"), max: try row.double("max"), p50: try row.double("p50"), p95: try row.double("p95"))
        self.init(
            key: try row.key(), statistics: statistics, windowStart: try row.day("window_start"),
            windowEnd: try row.day("window_end"), computedAt: try row.date("computed_at"))
    }
}

extension Anomaly {
    init(row: PostgresRow) throws {
        let row = StoredRow(row)
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
    }
}
