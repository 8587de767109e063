import BillingCore
import BillingPipeline
import BillingSimulator
import BillingTesting
import Foundation
import Testing

@testable import BillingApp

/// One run per job and day: a run that finds its lock held says so and waits, asking neither the API
/// nor the store anything meanwhile, then runs once the lock is let go; two runs started together
/// store and announce the day once. On the embedded SQLite store, whose lock is a file lock, and on
/// PostgreSQL, whose lock is an advisory lock held by a connection.
@Suite struct JobLockTests {
    enum Job: String, CaseIterable, Sendable { case daily, hourly }

    /// Long enough for any run on a loaded machine to let its lock go: the tests end by the holder
    /// letting go, never by this running out.
    static let lockWait = Duration.seconds(600)

    static let today = CalendarDay("20261125")!
    static let yesterday = CalendarDay("20261124")!
    static let now = Date.kst("20261125", hour: 9)

    /// Polls `condition` until it holds, for at most 30 s: a bound so a broken run cannot hang the suite.
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<600 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func run(_ job: Job, _ app: BillingApp) async throws -> Int {
        switch job {
        case .daily: try await app.runDaily(day: Self.yesterday, now: Self.now).total.keyCount
        case .hourly: try await app.runHourly(day: nil, now: Self.now).costs.count
        }
    }

    @Test(arguments: StoreKind.allCases, Job.allCases)
    func aRunWaitsForTheHeldLockWithoutAskingTheAPIThenRuns(store kind: StoreKind, job: Job) async throws {
        let harness = try AppHarness(now: Self.now)
        try await kind.run { database in
            try await harness.server.run { baseURL in
                var configuration = harness.configuration(baseURL: baseURL)
                if let database { configuration.store = .postgres(database) }
                configuration.lockWait = Self.lockWait
                let app = harness.app(configuration)
                let day = job == .daily ? Self.yesterday : Self.today
                var waiting: Task<Int, any Error>?
                // The holder is a store of its own: another process's file lock, or another connection.
                try await app.withStore { store in
                    try await store.withJobLock("\(job.rawValue):\(day.compact)", wait: .zero) {
                        waiting = Task { try await run(job, app) }
                        let said = try await eventually { harness.logText.contains("another run holds the lock; waiting for it") }
                        #expect(said, "the run never said it waits: \(harness.logText)")
                        #expect(harness.server.requests.isEmpty, "a waiting run asks the API nothing")
                        #expect(try await store.jobRuns(in: day...day).isEmpty)
                    }
                }
                let keys = try #require(try await waiting?.value)
                #expect(keys > 0 && !harness.server.requests.isEmpty)
                let runs = try await app.withStore { try await $0.jobRuns(in: day...day) }
                #expect(runs.map(\.job.rawValue) == [job.rawValue])
            }
        }
    }

    /// Two daily runs of one day started together: the second waits for the first, stores the same
    /// rows over them, and announces nothing the first announced.
    @Test(arguments: StoreKind.allCases)
    func twoDailyRunsStartedTogetherStoreAndAnnounceTheDayOnce(store kind: StoreKind) async throws {
        let spike = SimulatedBill.Spike(day: Self.yesterday, serviceId: "2", projectName: "storefront", factor: 40)
        let bill = SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [spike]))
        let harness = try AppHarness(bill: bill, now: Self.now)
        try await kind.run { database in try await harness.server.run { baseURL in
            var configuration = harness.configuration(baseURL: baseURL, pageSize: 5)
            if let database { configuration.store = .postgres(database) }
            configuration.lockWait = Self.lockWait
            let app = harness.app(configuration)
            try await app.runBackfill(days: Self.yesterday.adding(days: -30)...Self.yesterday.adding(days: -1), refetch: false)
            async let first = app.runDaily(day: Self.yesterday, now: Self.now)
            async let second = app.runDaily(day: Self.yesterday, now: Self.now)
            let reports = try await [first, second]
            let anomalies = reports[0].anomalies.count
            #expect(anomalies > 0 && reports[1].anomalies.count == anomalies)
            #expect(harness.logText.contains("another run holds the lock; waiting for it"))
            // Announced by whichever ran first, once.
            #expect(harness.anomalyLines.count == anomalies, "\(harness.anomalyLines)")
            let rows = try await app.withStore { try await $0.dailyCosts(in: Self.yesterday...Self.yesterday) }
            #expect(rows.count == reports[0].total.keyCount && Set(rows.map(\.key)).count == rows.count)
        } }
    }
}
