import BillingCore
import BillingPipeline
import Foundation
import GRDB

/// Reading stored rows back into values. Money is stored as exact decimal text.
enum StoredValue {
    static func decimal(_ row: Row, _ column: String) throws -> ExactDecimal {
        let text: String = row[column]
        guard let value = ExactDecimal(text) else { throw SQLiteStoreError.corruptValue(column: column, value: text) }
        return value
    }

    static func day(_ row: Row, _ column: String) throws -> CalendarDay {
        let text: String = row[column]
        guard let value = CalendarDay(text) else { throw SQLiteStoreError.corruptValue(column: column, value: text) }
        return value
    }

    static func date(_ row: Row, _ column: String) throws -> Date {
        let text: String = row[column]
        guard let value = try? Date(text, strategy: timestampStyle) else {
            throw SQLiteStoreError.corruptValue(column: column, value: text)
        }
        return value
    }

    static func optionalDate(_ row: Row, _ column: String) throws -> Date? {
        let text: String? = row[column]
        return try text.map { _ in try date(row, column) }
    }

    static func list(_ row: Row, _ column: String) throws -> [String] {
        let text: String = row[column]
        guard let list = DailyCost.list(fromJSON: text) else { throw SQLiteStoreError.corruptValue(column: column, value: text) }
        return list
    }

    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func timestamp(_ date: Date) -> String {
        date.formatted(timestampStyle)
    }

    static func parts(_ text: String, column: String) throws -> [DailyCost.Part] {
        guard let parts = DailyCost.Part.parts(fromJSON: text) else { throw SQLiteStoreError.corruptValue(column: column, value: text) }
        return parts
    }

    static func matchers(_ row: Row, _ column: String) throws -> [Silence.Matcher] {
        let text: String = row[column]
        guard let matchers = try? Silence.matchers(parsing: text) else { throw SQLiteStoreError.corruptValue(column: column, value: text) }
        return matchers
    }

    static func verdict(_ row: Row, _ column: String) throws -> AnomalyFeedback.Verdict {
        let text: String = row[column]
        guard let verdict = AnomalyFeedback.Verdict(rawValue: text) else { throw SQLiteStoreError.corruptValue(column: column, value: text) }
        return verdict
    }

    static func key(_ row: Row) -> CostKey {
        CostKey(domainId: row["domain_id"], projectId: row["project_id"], serviceId: row["service_id"])
    }
}

extension DailyCost {
    init(row: Row) throws {
        self.init(
            date: try StoredValue.day(row, "date"), key: StoredValue.key(row),
            domainName: row["domain_name"], projectName: row["project_name"], serviceName: row["service_name"],
            usageTime: try StoredValue.decimal(row, "usage_time"),
            usageSize: try StoredValue.decimal(row, "usage_size"),
            generalAmount: try StoredValue.decimal(row, "general_amount"),
            discountAmount: try StoredValue.decimal(row, "discount_amount"),
            expectAmount: try StoredValue.decimal(row, "expect_amount"),
            pricingTypes: try StoredValue.list(row, "pricing_types"), regions: try StoredValue.list(row, "regions"),
            rowCount: row["row_count"], isAnomaly: row["is_anomaly"])
        parts = try StoredValue.parts(row["parts"], column: "parts")
    }
}

extension Baseline {
    init(row: Row) throws {
        let statistics = SampleStatistics(
            count: row["sample_count"], mean: row["mean"], std: row["std"], min: row["min"], max: row["max"],
            p50: row["p50"], p95: row["p95"])
        self.init(
            key: StoredValue.key(row), statistics: statistics,
            windowStart: try StoredValue.day(row, "window_start"), windowEnd: try StoredValue.day(row, "window_end"),
            computedAt: try StoredValue.date(row, "computed_at"))
    }
}

extension Anomaly {
    init(row: Row) throws {
        let status: String = row["notify_status"]
        self.init(
            date: try StoredValue.day(row, "date"), hour: row["hour"], key: StoredValue.key(row),
            domainName: row["domain_name"], projectName: row["project_name"], serviceName: row["service_name"],
            observed: try StoredValue.decimal(row, "observed"), baselineMean: row["baseline_mean"],
            baselineStd: row["baseline_std"], zScore: row["z_score"], ratio: row["ratio"],
            zScoreThreshold: row["z_score_threshold"], ratioThreshold: row["ratio_threshold"],
            detector: row["detector"], status: row["status"],
            notification: NotificationState(
                status: NotificationState.Status(rawValue: status) ?? .pending,
                at: try StoredValue.optionalDate(row, "notified_at"), detail: row["notify_detail"]),
            detectedAt: try StoredValue.date(row, "detected_at"))
        explanation = AnomalyExplanation(
            expected: row["expected"], low: row["expected_low"], high: row["expected_high"], impact: row["impact"],
            reason: row["reason"], driver: row["driver"])
    }
}
