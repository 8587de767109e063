import BillingCore
import BillingPipeline
import BillingTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import PostgresStore

/// What only the PostgreSQL store's migrations do to data already there.
@Suite(.needs(.postgres)) struct PostgresMigrationTests {
    /// A database from before the compact history gets it when opened: every stored day, the flags,
    /// and each amount PostgreSQL's double of the exact one.
    @Test func aDatabaseFromBeforeTheCompactHistoryGetsItWhenOpened() async throws {
        let logger = Logger(label: "test")
        let day = CalendarDay("20261120")!
        let costs = [
            DailyCost(date: day.adding(days: -1), key: CostKey(domainId: "d", projectId: "p", serviceId: "1"), expectAmount: ExactDecimal("12345678901234.07")!),
            DailyCost(date: day, key: CostKey(domainId: "d", projectId: "p", serviceId: "1"), expectAmount: ExactDecimal("-3.5")!),
            DailyCost(date: day, key: CostKey(domainId: "d", projectId: "p", serviceId: "2"), expectAmount: ExactDecimal("0.1")!, isAnomaly: true),
        ]
        try await TestServices.withFreshDatabase { location in
            try await PostgresStore.withStore(location, logger: logger) { store in
                var changes = StoreChanges(now: Date(timeIntervalSince1970: 0))
                changes.replacedDays = [day.adding(days: -1), day]
                changes.dailyCosts = costs
                try await store.commit(changes)
                // The database as v8 left it.
                try await store.connection.query("DROP TABLE billing_history", logger: logger)
                try await store.connection.query("DROP TABLE billing_keys", logger: logger)
                try await store.connection.query("DELETE FROM schema_migrations WHERE id = 'v9: compact cost history'", logger: logger)
            }
            try await PostgresStore.withStore(location, logger: logger) { store in
                let history = try await store.costHistory(in: day.adding(days: -30)...day)
                #expect(history.rowCount == 3)
                for cost in costs {
                    let entry = history.entries[cost.key]?.first { $0.date == cost.date }
                    #expect(entry?.amount == cost.expectAmount.doubleValue)
                    #expect(entry?.isAnomaly == cost.isAnomaly)
                }
            }
        }
    }
}
