import BillingCore
import BillingPipeline
import BillingTesting
import Foundation
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
}
