import BillingCore
import BillingPipeline
import BillingTesting
import Foundation
import GRDB
import Testing

@testable import SQLiteStore

/// What only the SQLite store does: files and folders.
@Suite struct SQLiteStoreTests {
    @Test func anUnwritableLocationIsAClearError() throws {
        let error = #expect(throws: SQLiteStoreError.self) { try SQLiteStore(path: "/proc/billing/billing.sqlite") }
        #expect(error?.description.contains("store.url") == true)
    }

    @Test func createsItsFolderAndKeepsTheDataWhenReopened() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let day = CalendarDay("20261120")!
        var changes = StoreChanges(now: Date(timeIntervalSince1970: 0))
        changes.replacedDays = [day]
        changes.dailyCosts = [DailyCost(date: day, key: Fixtures.key, expectAmount: ExactDecimal("0.1")!)]
        try await SQLiteStore(path: folder.file("a/b/billing.sqlite")).commit(changes)
        let reopened = try SQLiteStore(path: folder.file("a/b/billing.sqlite"))
        #expect(try await reopened.dailyCosts(in: day...day).map(\.expectAmount) == [ExactDecimal("0.1")])
    }

    @Test func aStoreFromBeforeServiceTotalsGetsThemWhenOpened() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("billing.sqlite")
        // The schema as v6 left it, with two days of costs written straight into billing_daily.
        let old = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(old, upTo: "v6: anomaly rarity")
        try await old.write { db in
            for (day, service, project, amount) in [
                ("20261119", "1", "a", "0.1"), ("20261119", "1", "b", "0.2"), ("20261120", "1", "a", "10"), ("20261120", "2", "a", "0.35"),
            ] {
                try db.execute(
                    sql: """
                        INSERT INTO billing_daily (date, domain_id, project_id, service_id, domain_name, project_name, service_name,
                            usage_time, usage_size, general_amount, discount_amount, expect_amount, pricing_types, regions, row_count,
                            is_anomaly, created_at, updated_at, parts)
                        VALUES (?, 'd', ?, ?, '', '', ?, '0', '0', '0', '0', ?, '[]', '[]', 1, 0, '', '', '[]')
                        """,
                    arguments: [day, project, service, "Service \(service)", amount])
            }
        }
        try old.close()
        let totals = try await SQLiteStore(path: path).serviceTotals(in: CalendarDay("20261101")!...CalendarDay("20261130")!)
        #expect(totals.map { "\($0.date.compact) \($0.serviceId) \($0.amount) \($0.keyCount)" } == ["20261119 1 0.3 2", "20261120 1 10 1", "20261120 2 0.35 1"])
    }

    /// History is read by position for speed; a value the store cannot read still names its column.
    @Test func historyWithAnUnreadableAmountOrDateIsACorruptValueNamingItsColumn() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("billing.sqlite")
        let day = CalendarDay("20261120")!
        var changes = StoreChanges(now: Date(timeIntervalSince1970: 0))
        changes.replacedDays = [day]
        changes.dailyCosts = [
            DailyCost(date: day, key: Fixtures.key, expectAmount: ExactDecimal("12345678901234.07")!),
            DailyCost(date: day, key: CostKey(domainId: "d", projectId: "p", serviceId: "2"), expectAmount: ExactDecimal("0.1")!),
        ]
        let store = try SQLiteStore(path: path)
        try await store.commit(changes)
        let history = try await store.costHistory(in: day...day)
        #expect(history.entries[Fixtures.key]?.map(\.amount) == [12345678901234.07])
        #expect(history.rowCount == 2)

        for (column, value, shown) in [("expect_amount", "'12,5'", "12,5"), ("date", "'20261199'", "20261199"), ("is_anomaly", "'yes'", "yes")] {
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "DROP TABLE IF EXISTS saved; CREATE TABLE saved AS SELECT * FROM billing_daily")
                try db.execute(sql: "UPDATE billing_daily SET \(column) = \(value) WHERE service_id = '2'")
            }
            let error = await #expect(throws: SQLiteStoreError.self) { try await store.costHistory(in: day...day.adding(days: 40)) }
            #expect(error?.description.contains(column) == true, "\(column): \(error?.description ?? "")")
            #expect(error?.description.contains(shown) == true)
            try await queue.write { db in
                try db.execute(sql: "DELETE FROM billing_daily; INSERT INTO billing_daily SELECT * FROM saved")
            }
            try queue.close()
        }
    }
}
