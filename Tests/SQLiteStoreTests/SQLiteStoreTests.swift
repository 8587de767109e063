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

    /// A store from before the compact history gets it when opened, with the amounts the store
    /// writes (the exact text's double) and the flags; an amount it cannot read stops the opening
    /// with the column's name, and the file is left as it was.
    @Test func aStoreFromBeforeTheCompactHistoryGetsItWhenOpened() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        func oldStore(_ name: String, amounts: [String]) throws -> String {
            let path = folder.file(name)
            let old = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(old, upTo: "v8: each day's top movers")
            try old.write { db in
                for (index, amount) in amounts.enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO billing_daily (date, domain_id, project_id, service_id, domain_name, project_name, service_name,
                                usage_time, usage_size, general_amount, discount_amount, expect_amount, pricing_types, regions, row_count,
                                is_anomaly, created_at, updated_at, parts)
                            VALUES (?, 'd', 'p', ?, '', '', '', '0', '0', '0', '0', ?, '[]', '[]', 1, ?, '', '', '[]')
                            """,
                        arguments: [index < 2 ? "20261119" : "20261120", "\(index % 2 + 1)", amount, index == 1])
                }
            }
            try old.close()
            return path
        }
        let path = try oldStore("billing.sqlite", amounts: ["12345678901234.07", "0.1", "-3.5"])
        let history = try await SQLiteStore(path: path).costHistory(in: CalendarDay("20261101")!...CalendarDay("20261130")!)
        let first = CostKey(domainId: "d", projectId: "p", serviceId: "1"), second = CostKey(domainId: "d", projectId: "p", serviceId: "2")
        #expect(history.entries[first]?.map(\.amount) == [12345678901234.07, -3.5])
        #expect(history.entries[first]?.map(\.date) == [CalendarDay("20261119")!, CalendarDay("20261120")!])
        #expect(history.entries[second]?.map(\.amount) == [0.1])
        #expect(history.entries[second]?.map(\.isAnomaly) == [true])
        #expect(history.rowCount == 3)

        let broken = try oldStore("broken.sqlite", amounts: ["10", "12,5"])
        let before = try Data(contentsOf: URL(fileURLWithPath: broken))
        let error = #expect(throws: SQLiteStoreError.self) { try SQLiteStore(path: broken) }
        #expect(error?.description.contains("expect_amount") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("12,5") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: broken)) == before)
    }

    /// The day's rows, their history and the baselines are bound through SQLite's own interface: an
    /// empty name stays an empty text (not NULL), and a row SQLite refuses fails the whole commit with
    /// SQLite's own words, leaving the store as it was.
    @Test func bulkWritesKeepEmptyTextsAndAFailedRowUndoesTheCommit() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.file("billing.sqlite"))
        let day = CalendarDay("20261120")!
        let bare = DailyCost(date: day, key: CostKey(domainId: "d", projectId: "p", serviceId: "1"), expectAmount: ExactDecimal("-0.5")!)
        var changes = StoreChanges(now: Date(timeIntervalSince1970: 0))
        changes.replacedDays = [day]
        changes.dailyCosts = [bare]
        changes.baselines = [
            Baseline(key: bare.key, statistics: SampleStatistics([1, 2.5])!, windowStart: day.adding(days: -29), windowEnd: day, computedAt: Date(timeIntervalSince1970: 5))
        ]
        try await store.commit(changes)
        #expect(try await store.dailyCosts(in: day...day) == [bare])
        #expect(try await store.baselines() == changes.baselines)
        let nulls = try await store.database.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM billing_daily WHERE domain_name IS NULL OR service_name IS NULL OR parts IS NULL")
        }
        #expect(nulls == 0)

        try await store.database.write {
            try $0.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON billing_daily WHEN NEW.service_id = '3' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        }
        let next = day.adding(days: 1)
        changes.replacedDays = [next]
        changes.dailyCosts = ["2", "3"].map { DailyCost(date: next, key: CostKey(domainId: "d", projectId: "p", serviceId: $0), expectAmount: 1) }
        changes.baselines = []
        let error = await #expect(throws: SQLiteStoreError.self) { try await store.commit(changes) }
        #expect(error?.description.contains("refused by the test") == true, "\(error?.description ?? "")")
        #expect(try await store.dailyCosts(in: next...next).isEmpty)
        #expect(try await store.costHistory(in: day...next).rowCount == 1)
        #expect(try await store.baselines().count == 1)
    }
}
