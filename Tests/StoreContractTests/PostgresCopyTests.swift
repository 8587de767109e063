import BillingCore
import BillingPipeline
import BillingTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import PostgresStore

/// Rows that go in through COPY's text format hold exactly what the same values bound as binary
/// parameters hold: text with the characters COPY gives a meaning (tab, newline, backslash, `\N`),
/// doubles at the edges of their range, and times between microseconds, before 1970 and before 2000.
@Suite(.needs(.postgres)) struct PostgresCopyTests {
    static let keys = [
        CostKey(domainId: "tab\there", projectId: "line\nbreak\r", serviceId: "back\\slash"),
        CostKey(domainId: "\\N", projectId: "", serviceId: "trailing\\"),
        CostKey(domainId: "한국어 ✓", projectId: "\\t literally", serviceId: "\u{1}\u{7f}"),
    ]
    static let doubles: [Double] = [
        0.1 + 0.2, 5e-324, 2.2250738585072014e-308 / 3, -0.0, .greatestFiniteMagnitude, -123456789012345.67, .infinity,
        -.infinity, .nan, 1e22, 1e-7,
    ]
    static let times = [
        Date(timeIntervalSince1970: 1_790_000_000.123_456_7), Date(timeIntervalSince1970: 946_684_799.999_999_5),
        Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: -2_208_988_800.000_001), Date(timeIntervalSince1970: 0),
    ]

    /// Baselines over every key, double and time above, each double in a different field on each row.
    static var baselines: [Baseline] {
        var baselines: [Baseline] = []
        for (index, key) in (keys + (0..<12).map { CostKey(domainId: "d", projectId: "p", serviceId: String($0)) }).enumerated() {
            let value = { (offset: Int) in doubles[(index + offset) % doubles.count] }
            let statistics = SampleStatistics(
                count: [0, 1, Int(Int32.max), 42][index % 4], mean: value(0), std: value(1), min: value(2), max: value(3), p50: value(4),
                p95: value(5))
            let day = CalendarDay("20261120")!.adding(days: -index)
            baselines.append(Baseline(key: key, statistics: statistics, windowStart: day, windowEnd: day, computedAt: times[index % times.count]))
        }
        return baselines
    }

    @Test func baselinesSentByCopyAreStoredAsBoundParametersStoreThem() async throws {
        let logger = Logger(label: "test")
        let baselines = Self.baselines
        try await TestServices.withFreshDatabase { location in
            try await PostgresStore.withStore(location, logger: logger) { store in
                var changes = StoreChanges(now: Date(timeIntervalSince1970: 0))
                changes.baselines = baselines
                try await store.commit(changes)

                try await store.connection.query("CREATE TABLE bound (LIKE billing_baseline)", logger: logger)
                for baseline in baselines {
                    try await store.connection.query(
                        """
                        INSERT INTO bound VALUES (\(baseline.key.domainId), \(baseline.key.projectId), \(baseline.key.serviceId),
                            \(baseline.mean), \(baseline.std), \(baseline.min), \(baseline.max), \(baseline.p50), \(baseline.p95),
                            \(baseline.sampleCount), \(baseline.windowStart.compact), \(baseline.windowEnd.compact), \(baseline.computedAt))
                        """, logger: logger)
                }
                let table = { (name: String) in
                    var rows: [String] = []
                    let query = PostgresQuery(unsafeSQL: "SELECT t::text FROM \(name) t ORDER BY 1")
                    for try await row in try await store.connection.query(query, logger: logger).decode(String.self) { rows.append(row) }
                    return rows
                }
                let copied = try await table("billing_baseline")
                #expect(copied.count == baselines.count)
                #expect(copied == (try await table("bound")))
                #expect(try await store.baselines().map(\.key).sorted() == baselines.map(\.key).sorted())
            }
        }
    }

    /// A day's costs over every key above, with amounts of many digits either side of the point and
    /// lists and parts whose JSON holds quotes and backslashes.
    static func costs(on day: CalendarDay) -> [DailyCost] {
        let amounts = ["12345678901234.07", "-0.000000001", "0", "1.50", "-3", "0.1"].map { ExactDecimal($0)! }
        return keys.enumerated().map { index, key in
            let amount = { (offset: Int) in amounts[(index + offset) % amounts.count] }
            var cost = DailyCost(
                date: day, key: key, domainName: "도메인\t\(index)", projectName: "say \"hi\"\\", serviceName: "line\nbreak",
                usageTime: amount(0), usageSize: amount(1), generalAmount: amount(2), discountAmount: amount(3), expectAmount: amount(4),
                pricingTypes: ["on-demand", "quote\" and \\ back"], regions: ["kr-central-2", "\t"], rowCount: index * 1000,
                isAnomaly: index % 2 == 0)
            cost.parts = [DailyCost.Part(pricingType: "p\"1", region: "r\\1", expectAmount: amount(5))]
            return cost
        }
    }

    /// A day that held nothing takes its rows by COPY; a day that held rows takes them by upsert.
    /// Both hold the same values, and so does the history beside them.
    @Test func aNewDaysRowsSentByCopyAreStoredAsTheUpsertStoresThem() async throws {
        let logger = Logger(label: "test")
        let (copied, upserted) = (CalendarDay("20261120")!, CalendarDay("20261121")!)
        let now = Date(timeIntervalSince1970: 1_790_000_000.123_456_7)
        try await TestServices.withFreshDatabase { location in
            try await PostgresStore.withStore(location, logger: logger) { store in
                func replace(_ day: CalendarDay, with costs: [DailyCost]) async throws {
                    var changes = StoreChanges(now: now)
                    changes.replacedDays = [day]
                    changes.dailyCosts = costs
                    try await store.commit(changes)
                }
                try await replace(copied, with: Self.costs(on: copied))
                try await replace(upserted, with: [DailyCost(date: upserted, key: CostKey(domainId: "gone", projectId: "", serviceId: ""))])
                try await replace(upserted, with: Self.costs(on: upserted))

                func rows(_ day: CalendarDay) async throws -> [String] {
                    var rows: [String] = []
                    let query: PostgresQuery = """
                        SELECT row(domain_id, project_id, service_id, d.domain_name, d.project_name, d.service_name, d.usage_time,
                            d.usage_size, d.general_amount, d.discount_amount, d.expect_amount, d.pricing_types, d.regions, d.row_count,
                            d.is_anomaly, d.parts, d.created_at, d.updated_at)::text || ' ' || h.amount || ' ' || h.is_anomaly
                        FROM billing_daily d JOIN billing_keys k USING (domain_id, project_id, service_id)
                        JOIN billing_history h ON h.key_id = k.id AND h.day = \(Int32(day.daysSinceEpoch))
                        WHERE d.date = \(day.compact) ORDER BY 1
                        """
                    for try await row in try await store.connection.query(query, logger: logger).decode(String.self) { rows.append(row) }
                    return rows
                }
                let copiedRows = try await rows(copied)
                #expect(copiedRows.count == Self.keys.count)
                #expect(copiedRows == (try await rows(upserted)))
                #expect(try await store.dailyCosts(in: copied...copied) == Self.costs(on: copied).sorted { $0.key < $1.key })
            }
        }
    }
}
