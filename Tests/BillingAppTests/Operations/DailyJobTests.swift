import BillingCore
import BillingPipeline
import BillingSimulator
import BillingTesting
import BillingWire
import Foundation
import GRDB
import Testing

@testable import BillingApp
@testable import SQLiteStore

/// The daily job end to end: simulator over loopback, the real client, a SQLite file, a folder archive.
@Suite struct DailyJobTests {
    static let now = Date.kst("20261125", hour: 3)
    static let day = CalendarDay("20261124")!
    static let history = CalendarDay("20261020")!...CalendarDay("20261123")!

    /// Every column of every stored table, for before/after comparisons.
    static func snapshot(_ app: BillingApp) throws -> [String] {
        let store = try app.openStore()
        return try store.database.read { db in
            var rows: [String] = []
            for table in ["billing_daily", "billing_baseline", "billing_anomalies", "job_runs"] {
                rows += try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2, 3, 4").map { "\(table) \($0)" }
            }
            return rows
        }
    }

    /// The stored baselines' and anomalies' keys and figures: not when each row was last written.
    static func figures(_ app: BillingApp) throws -> (baselines: [String], anomalies: [String]) {
        try app.openStore().database.read { db in
            let baselines = try Row.fetchAll(db, sql: """
                SELECT domain_id, project_id, service_id, mean, std, min, max, p50, p95, sample_count, window_start,
                    window_end FROM billing_baseline ORDER BY 1, 2, 3
                """)
            let anomalies = try Row.fetchAll(db, sql: """
                SELECT date, hour, domain_id, project_id, service_id, observed, baseline_mean, baseline_std, z_score,
                    ratio, status, notify_status, detected_at FROM billing_anomalies ORDER BY 1, 2, 3, 4, 5
                """)
            return (baselines.map(\.description), anomalies.map(\.description))
        }
    }

    /// A rerun of a day stores what the first run stored: the same rows, the same baselines (the day
    /// counted once in them, not once per run), and the same anomalies with the same figures.
    @Test func runningTheDailyJobTwiceGivesIdenticalRows() async throws {
        let spike = SimulatedBill.Spike(day: Self.day, serviceId: "2", projectName: "storefront", factor: 40)
        let harness = try AppHarness(bill: SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [spike])), now: Self.now)
        try await harness.withApp { app in
            try await app.runBackfill(days: Self.history, refetch: false)
            try await app.runDaily(day: Self.day, now: Self.now)
            let daily = { try Self.snapshot(app).filter { $0.hasPrefix("billing_daily ") } }
            let (first, firstFigures) = (try daily(), try Self.figures(app))
            try await app.runDaily(day: Self.day, now: Self.now.addingTimeInterval(600))
            let again = try daily()
            #expect(!first.isEmpty && first == again)
            #expect(!firstFigures.baselines.isEmpty && firstFigures.anomalies.contains { $0.contains(#"service_id:"2""#) }, "\(firstFigures)")
            let second = try Self.figures(app)
            #expect(second.baselines == firstFigures.baselines)
            #expect(second.anomalies == firstFigures.anomalies)
        }
    }

    /// `daily --today` at 12:10 sees about half a day: its digest and movers compare it with half of a
    /// usual day (the median of the 7 days before, computed here from the stored rows), not a whole one.
    @Test func aDayStillRunningIsComparedWithTheSameShareOfEarlierDays() async throws {
        let today = CalendarDay("20261125")!
        let noon = Date.kst("20261125", hour: 12)
        let harness = try AppHarness(now: noon)
        try await harness.withApp { app in
            try await app.runBackfill(days: CalendarDay("20261110")!...CalendarDay("20261124")!, refetch: false)
            let report = try await app.runDaily(day: today, now: noon)
            let digest = try #require(report.digest)
            let share = (12.0 + 10.0 / 60) / 24
            #expect(abs(digest.accrued - share) < 1e-9)
            let week = try await app.withStore { try await $0.dailyCosts(in: CalendarDay("20261118")!...CalendarDay("20261124")!) }
            let totals = Dictionary(grouping: week, by: \.date).values.map { $0.reduce(0.0) { $0 + $1.expectAmount.doubleValue } }.sorted()
            #expect(totals.count == 7)
            #expect(abs((digest.usualTotal ?? 0) - totals[3] * share) < 0.01)
            #expect(DigestText.sentence(digest).contains("so far (51 % of the day)") && DigestText.sentence(digest).hasSuffix("by this time of day."))
            let mover = try #require(digest.topMovers.first)
            let days = week.filter { $0.key == mover.key }.map(\.expectAmount.doubleValue) + Array(repeating: 0, count: 7 - week.filter { $0.key == mover.key }.count)
            #expect(abs(mover.usual - days.sorted()[3] * share) < 0.01)
            // The movers kept for the overview are the same, and a finished day is compared whole.
            #expect(try await app.withStore { try await $0.movers(on: today) }.prefix(digest.topMovers.count).map(\.usual) == digest.topMovers.map(\.usual))
            let yesterday = try await app.runDaily(day: CalendarDay("20261124")!, now: noon)
            #expect(yesterday.digest?.accrued == 1)
        }
    }

    @Test func storesTheSumsOfEveryPageExactly() async throws {
        let bill = SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0))
        let harness = try AppHarness(bill: bill, now: Self.now)
        let report = try await harness.withApp(pageSize: 7) { app in try await app.runDaily(day: Self.day, now: Self.now) }
        let rows = bill.rows(for: Self.day)
        #expect(report.fetch?.pageCount == rows.count / 7 + 1)
        // The expected sums come from the simulator's own rows: none of the job's parsing or arithmetic.
        let expected = try ExpectedSums.of(rows, day: Self.day, amounts: ["expectAmount", "generalAmount"])
        let stored = try await harness.app(harness.configuration(baseURL: "http://127.0.0.1:1")).openStore().dailyCosts(in: Self.day...Self.day)
        #expect(stored.count == expected.count)
        for cost in stored {
            let sums = expected["\(cost.key.domainId)/\(cost.key.projectId)/\(cost.key.serviceId)"]
            #expect(Decimal(string: cost.expectAmount.description) == sums?["expectAmount"], "\(cost.key)")
            #expect(Decimal(string: cost.generalAmount.description) == sums?["generalAmount"], "\(cost.key)")
        }
        #expect(stored.allSatisfy { !$0.regions.isEmpty && !$0.pricingTypes.isEmpty })
    }

    /// A rerun leaves the day's verdict as if only it had run: an anomaly of the earlier run that no
    /// longer stands is gone (with the deliveries still owed for it), not left open for the digest.
    @Test func aRerunRemovesTheDaysAnomaliesThatNoLongerStand() async throws {
        let harness = try AppHarness(now: Self.now)
        try await harness.withApp(pageSize: 50) { app in
            let gone = CostKey(domainId: "d-gone", projectId: "p-gone", serviceId: "9")
            try await app.withStore { store in
                var earlier = StoreChanges(now: Self.now)
                earlier.anomalies = [Fixtures.anomaly(date: Self.day.compact, hour: Anomaly.wholeDay, key: gone)]
                earlier.deliveries = [
                    Delivery(date: Self.day, hour: Anomaly.wholeDay, key: gone, channel: "console", status: .pending, attempts: 0)
                ]
                try await store.commit(earlier)
            }
            let report = try await app.runDaily(day: Self.day, now: Self.now)
            try await app.withStore { store in
                let stored = try await store.anomalies(in: Self.day...Self.day).filter { $0.hour == Anomaly.wholeDay }
                #expect(Set(stored.map(\.key)) == Set(report.anomalies.map(\.key)))
                #expect(!stored.contains { $0.key == gone })
                let owed = try await store.deliveries(in: Self.day...Self.day).filter { $0.key == gone }
                #expect(owed.map(\.status) == [.withdrawn])
            }
            #expect(report.digest?.openAnomalies.contains { $0.key == gone } == false)
        }
    }

    @Test func archivesEveryPageVerbatimAtTheTutorialsKey() async throws {
        let harness = try AppHarness(now: Self.now)
        let report = try await harness.withApp(pageSize: 10) { app in try await app.runDaily(day: Self.day, now: Self.now) }
        let file = harness.folder.file("archive/raw/year=2026/month=11/day=24/billing_20261124.json")
        #expect(report.archiveLocation == file)
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["date"] as? String == "20261124")
        #expect(json["rowCount"] as? Int == report.total.rowCount)
        let pages = try #require(json["pages"] as? [[String: Any]])
        #expect(pages.count == report.fetch?.pageCount)
        #expect(pages.count > 2)
        // Amounts the API sent as strings stay strings: the archive holds what was sent.
        #expect(String(decoding: data, as: UTF8.self).contains(#""expectAmount":""#))
    }

    @Test func aMalformedPageLeavesTheStoreAndArchiveAsTheyWere() async throws {
        let harness = try AppHarness(now: Self.now)
        try await harness.withApp(pageSize: 10) { app in
            try await app.runBackfill(days: CalendarDay("20261110")!...CalendarDay("20261123")!, refetch: false)
            let before = try Self.snapshot(app)
            harness.server.fail([.malformedBody], onPage: 2)
            await #expect(throws: (any Error).self) { try await app.runDaily(day: Self.day, now: Self.now) }
            #expect(try Self.snapshot(app) == before)
            #expect(!FileManager.default.fileExists(atPath: harness.folder.file("archive/raw/year=2026/month=11/day=24/billing_20261124.json")))
            // The pages written so far are gone too, not left beside the spool.
            let incoming = try FileManager.default.contentsOfDirectory(atPath: harness.folder.file("incoming"))
            #expect(incoming.isEmpty, "\(incoming)")
        }
    }

    @Test func reprocessRebuildsTheDayFromTheArchiveWithoutTheAPI() async throws {
        let harness = try AppHarness(now: Self.now)
        let before = try await harness.withApp { app -> [String] in
            try await app.runBackfill(days: CalendarDay("20261110")!...CalendarDay("20261123")!, refetch: false)
            try await app.runDaily(day: Self.day, now: Self.now)
            return try Self.snapshot(app).filter { $0.hasPrefix("billing_daily") }
        }
        // The simulator has stopped: nothing answers at this address.
        let offline = harness.app(harness.configuration(baseURL: "http://127.0.0.1:1"))
        let store = try offline.openStore()
        try await store.database.write { try $0.execute(sql: "DELETE FROM billing_daily WHERE date = '20261124'") }
        try await offline.runReprocess(day: Self.day, now: Self.now)
        #expect(try Self.snapshot(offline).filter { $0.hasPrefix("billing_daily") } == before)
    }

    @Test func reprocessWithoutAnArchivedDaySaysHowToFetchIt() async throws {
        let harness = try AppHarness(now: Self.now)
        let offline = harness.app(harness.configuration(baseURL: "http://127.0.0.1:1"))
        let error = await #expect(throws: PipelineError.self) { try await offline.runReprocess(day: Self.day, now: Self.now) }
        #expect(error?.description.contains("billing-alert daily --date 20261124") == true)
    }

    @Test func backfillSkipsFinishedDaysSoAnInterruptedRunResumes() async throws {
        let harness = try AppHarness(now: Self.now)
        try await harness.withApp { app in
            let first = try await app.runBackfill(days: CalendarDay("20261101")!...CalendarDay("20261105")!, refetch: false)
            #expect(first.fetched == 5)
            let requestsBefore = harness.server.requests.count
            let second = try await app.runBackfill(days: CalendarDay("20261101")!...CalendarDay("20261107")!, refetch: false)
            #expect(second.fetched == 2 && second.skipped == 5)
            #expect(Set(harness.server.requests.dropFirst(requestsBefore).compactMap(\.from)) == ["20261106", "20261107"])
            let again = try await app.runBackfill(days: CalendarDay("20261101")!...CalendarDay("20261102")!, refetch: true)
            #expect(again.fetched == 2)
            let costs = try await app.openStore().dailyCosts(in: CalendarDay("20261101")!...CalendarDay("20261107")!)
            #expect(Set(costs.map(\.date)).count == 7)
            #expect(costs.count == Set(costs.map { "\($0.date)\($0.key)" }).count)
        }
    }

    @Test func flagsASpikeAndLeavesItOutOfTheNextBaseline() async throws {
        let spike = SimulatedBill.Spike(day: CalendarDay("20261120")!, serviceId: "1", factor: 5)
        let harness = try AppHarness(bill: SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [spike])), now: Self.now)
        try await harness.withApp { app in
            let summary = try await app.runBackfill(days: CalendarDay("20261020")!...CalendarDay("20261121")!, refetch: false)
            let flagged = summary.anomalies.filter { $0.date == spike.day }
            #expect(!flagged.isEmpty && flagged.allSatisfy { $0.key.serviceId == "1" && $0.hour == Anomaly.wholeDay })
            #expect(summary.anomalies.allSatisfy { $0.date == spike.day })
            let costs = try await app.openStore().dailyCosts(in: spike.day...spike.day)
            #expect(costs.filter(\.isAnomaly).map(\.key) == flagged.map(\.key))
            let baselines = try await app.openStore().baselines()
            for key in flagged.map(\.key) {
                let baseline = try #require(baselines.first { $0.key == key })
                let spiked = try #require(costs.first { $0.key == key })
                #expect(baseline.max < spiked.expectAmount.doubleValue)
            }
        }
    }
}
