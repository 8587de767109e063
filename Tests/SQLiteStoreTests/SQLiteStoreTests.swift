import BillingCore
import BillingPipeline
import BillingTesting
import Foundation
import GRDB
import Testing

@testable import SQLiteStore

/// The store's semantics, on a SQLite file and in memory.
@Suite struct SQLiteStoreTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case file, memory
        var testDescription: String { rawValue }
    }

    static let day = CalendarDay("20261120")!
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    func makeStore(_ kind: Kind) throws -> (SQLiteStore, TemporaryDirectory) {
        let folder = try TemporaryDirectory()
        switch kind {
        case .file: return (try SQLiteStore(path: folder.file("nested/billing.sqlite")), folder)
        case .memory: return (try SQLiteStore.inMemory(), folder)
        }
    }

    static func cost(_ service: String, _ amount: String, day: CalendarDay = day, anomaly: Bool = false) -> DailyCost {
        DailyCost(
            date: day, key: CostKey(domainId: "d", projectId: "p", serviceId: service), domainName: "Acme",
            projectName: "web", serviceName: "Service \(service)", usageTime: ExactDecimal("1.25")!,
            usageSize: ExactDecimal("0.5")!, generalAmount: ExactDecimal("99999999999999.99")!,
            discountAmount: ExactDecimal("0.01")!, expectAmount: ExactDecimal(amount)!,
            pricingTypes: ["ON_DEMAND", "RESERVED"], regions: ["kr-central-2"], rowCount: 4, isAnomaly: anomaly)
    }

    func save(_ store: SQLiteStore, day: CalendarDay = day, _ costs: [DailyCost], at now: Date = now) async throws {
        var changes = StoreChanges(now: now)
        changes.replacedDays = [day]
        changes.dailyCosts = costs
        try await store.commit(changes)
    }

    @Test(arguments: Kind.allCases)
    func keepsMoneyExactAndEveryField(kind: Kind) async throws {
        let (store, folder) = try makeStore(kind)
        defer { folder.remove() }
        let cost = Self.cost("1", "12345678901234.5678")
        try await save(store, [cost])
        let stored = try await store.dailyCosts(in: Self.day...Self.day)
        #expect(stored == [cost])
    }

    @Test(arguments: Kind.allCases)
    func replacingADayDropsKeysThatAreGoneAndUpdatesTheRest(kind: Kind) async throws {
        let (store, folder) = try makeStore(kind)
        defer { folder.remove() }
        let other = Self.day.adding(days: 1)
        try await save(store, [Self.cost("1", "10"), Self.cost("2", "20")])
        try await save(store, day: other, [Self.cost("1", "5", day: other)])
        try await save(store, [Self.cost("1", "11")])
        let stored = try await store.dailyCosts(in: Self.day...other)
        #expect(stored.map(\.expectAmount) == [ExactDecimal(11), ExactDecimal(5)])
        #expect(stored.map(\.date) == [Self.day, other])
    }

    @Test(arguments: Kind.allCases)
    func savingTheSameDayTwiceLeavesTheRowsIdenticalTimestampsIncluded(kind: Kind) async throws {
        let (store, folder) = try makeStore(kind)
        defer { folder.remove() }
        func timestamps() async throws -> [[String]] {
            try await store.database.read { db in
                try Row.fetchAll(db, sql: "SELECT created_at, updated_at FROM billing_daily").map { [$0["created_at"], $0["updated_at"]] }
            }
        }
        try await save(store, [Self.cost("1", "10")], at: Self.now)
        let first = try await timestamps()
        try await save(store, [Self.cost("1", "10")], at: Self.now.addingTimeInterval(3600))
        #expect(try await timestamps() == first)
        try await save(store, [Self.cost("1", "10.5")], at: Self.now.addingTimeInterval(7200))
        let changed = try await timestamps()
        #expect(changed[0][0] == first[0][0], "created_at stays")
        #expect(changed[0][1] != first[0][1], "updated_at moves when the content changes")
    }

    @Test(arguments: Kind.allCases)
    func baselinesAreReplacedWhole(kind: Kind) async throws {
        let (store, folder) = try makeStore(kind)
        defer { folder.remove() }
        let calculator = BaselineCalculator(windowDays: 7)
        var changes = StoreChanges(now: Self.now)
        changes.baselines = calculator.baselines(
            from: [Self.cost("1", "10"), Self.cost("2", "20")], window: calculator.window(endingOn: Self.day), computedAt: Self.now)
        try await store.commit(changes)
        changes.baselines = calculator.baselines(
            from: [Self.cost("2", "30")], window: calculator.window(endingOn: Self.day), computedAt: Self.now)
        try await store.commit(changes)
        let stored = try await store.baselines()
        #expect(stored.count == 1)
        #expect(stored[0].key.serviceId == "2" && stored[0].mean == 30 && stored[0].sampleCount == 1)
        #expect(stored[0].windowStart == Self.day.adding(days: -6) && stored[0].computedAt == Self.now)
    }

    @Test(arguments: Kind.allCases)
    func anAnomalyIsOneRowPerDateHourAndKeyAndKeepsItsNotificationState(kind: Kind) async throws {
        let (store, folder) = try makeStore(kind)
        defer { folder.remove() }
        let anomaly = Fixtures.anomaly()
        var changes = StoreChanges(now: Self.now)
        changes.anomalies = [anomaly]
        try await store.commit(changes)
        var sent = StoreChanges(now: Self.now)
        sent.notifications = [AnomalyNotification(date: anomaly.date, hour: anomaly.hour, key: anomaly.key, state: NotificationState(status: .sent, at: Self.now))]
        try await store.commit(sent)
        var again = anomaly
        again.observed = ExactDecimal(300_000)
        changes.anomalies = [again]
        try await store.commit(changes)
        let stored = try await store.anomalies(in: anomaly.date...anomaly.date)
        #expect(stored.count == 1)
        #expect(stored[0].observed == ExactDecimal(300_000))
        #expect(stored[0].notification.status == .sent)
        #expect(stored[0].zScore == anomaly.zScore && stored[0].ratio == anomaly.ratio)
    }

    @Test(arguments: Kind.allCases)
    func aFailedCommitLeavesTheStoreAsItWas(kind: Kind) async throws {
        let (store, folder) = try makeStore(kind)
        defer { folder.remove() }
        try await save(store, [Self.cost("1", "10")])
        // Two rows for one key break the primary key half-way through the transaction.
        var changes = StoreChanges(now: Self.now)
        changes.replacedDays = [Self.day]
        changes.dailyCosts = [Self.cost("2", "20")]
        changes.anomalies = [Fixtures.anomaly(), Fixtures.anomaly()]
        changes.anomalies[1].hour = 99
        try await store.database.write { try $0.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON billing_anomalies WHEN NEW.hour = 99 BEGIN SELECT RAISE(ABORT, 'refused'); END") }
        await #expect(throws: SQLiteStoreError.self) { try await store.commit(changes) }
        let stored = try await store.dailyCosts(in: Self.day...Self.day)
        #expect(stored.map(\.key.serviceId) == ["1"])
        #expect(try await store.anomalies(in: Self.day.adding(days: -30)...Self.day.adding(days: 30)).isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func remembersWhichDaysAJobFinished(kind: Kind) async throws {
        let (store, folder) = try makeStore(kind)
        defer { folder.remove() }
        var changes = StoreChanges(now: Self.now)
        changes.jobRun = JobRun(job: .daily, date: Self.day, rowCount: 4, keyCount: 1, finishedAt: Self.now)
        try await store.commit(changes)
        let range = Self.day.adding(days: -3)...Self.day.adding(days: 3)
        #expect(try await store.completedDays(of: .daily, in: range) == [Self.day])
        #expect(try await store.completedDays(of: .hourly, in: range).isEmpty)
    }

    @Test func anUnwritableLocationIsAClearError() throws {
        let error = #expect(throws: SQLiteStoreError.self) { try SQLiteStore(path: "/proc/billing/billing.sqlite") }
        #expect(error?.description.contains("store.url") == true)
    }

    @Test func reopeningAFileKeepsTheDataAndTheSchema() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try await save(try SQLiteStore(path: folder.file("b.sqlite")), [Self.cost("1", "10")])
        let reopened = try SQLiteStore(path: folder.file("b.sqlite"))
        #expect(try await reopened.dailyCosts(in: Self.day...Self.day).count == 1)
    }
}
