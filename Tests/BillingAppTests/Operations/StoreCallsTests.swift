import BillingCore
import BillingPipeline
import BillingSimulator
import Foundation
import Synchronization
import Testing

@testable import BillingApp

/// How a run talks to its store: each kind of data read once, the run's changes committed once before
/// anything is sent, and the sends' outcomes once after. Counted by a store that forwards every call to
/// the app's real SQLite file.
@Suite struct StoreCallsTests {
    static let spike = SimulatedBill.Spike(day: CalendarDay("20261120")!, serviceId: "1", factor: 5)

    /// A month of history, then the spiked day's daily run through a recording store.
    static func recordedDailyRun() async throws -> (calls: [String], report: DailyReport) {
        let harness = try AppHarness(
            bill: SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [spike])),
            now: .kst("20261121", hour: 3))
        return try await harness.withApp { app in
            try await app.runBackfill(days: CalendarDay("20261020")!...spike.day.adding(days: -1), refetch: false)
            return try await app.withStore { store in
                let recording = RecordingStore(store)
                let report = try await app.dailyJob(store: recording, source: app.makeSource())
                    .run(day: spike.day, now: .kst("20261121", hour: 3))
                return (recording.calls, report)
            }
        }
    }

    @Test func aDailyRunReadsEachKindOfDataOnceAndCommitsBeforeItSends() async throws {
        let (calls, report) = try await Self.recordedDailyRun()
        // The run must have had something to announce, or the outbox's reads would not be exercised.
        #expect(!report.anomalies.isEmpty)
        #expect(report.alertOutcomes.contains { $0.channel == "console" && $0.delivered })
        let reads = calls.filter { $0 != "commit" && $0 != "withJobLock" }
        #expect(reads.count == Set(reads).count, "each kind read once: \(calls)")
        #expect(calls.filter { $0 == "commit" }.count == 2, "one commit of the run, one of the sends' outcomes: \(calls)")
        #expect(calls.first == "withJobLock")
        // Everything is read before the run's one commit; only the outcomes' commit follows it.
        #expect(calls.dropFirst().prefix { $0 != "commit" }.count == reads.count, "\(calls)")
    }

    @Test func anHourlyRunReadsEachKindOfDataOnceAndCommitsBeforeItSends() async throws {
        let today = CalendarDay("20261121")!
        let spike = SimulatedBill.Spike(day: today, serviceId: "1", factor: 5)
        let now = Date.kst("20261121", hour: 14)
        let harness = try AppHarness(
            bill: SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [spike])), now: now)
        let (calls, report) = try await harness.withApp { app in
            try await app.runBackfill(days: CalendarDay("20261020")!...today.adding(days: -1), refetch: false)
            return try await app.withStore { store in
                let recording = RecordingStore(store)
                let job = HourlyJob(
                    source: app.makeSource(), store: recording, detector: app.detector, alerter: app.makeAlerter(),
                    logger: app.logger)
                let report = try await job.run(day: today, hour: 14, now: now)
                return (recording.calls, report)
            }
        }
        #expect(!report.newlySent.isEmpty)
        let reads = calls.filter { $0 != "commit" && $0 != "withJobLock" }
        #expect(reads.count == Set(reads).count, "each kind read once: \(calls)")
        #expect(calls.filter { $0 == "commit" } == ["commit", "commit"], "\(calls)")
        #expect(calls.dropFirst().prefix { $0 != "commit" }.count == reads.count, "\(calls)")
    }
}

/// A `JobStore` that forwards every call to `inner` and records its name, in order. Not a mock: the
/// data comes from and goes to a real store.
final class RecordingStore: JobStore {
    let inner: any JobStore
    private let recorded = Mutex<[String]>([])

    init(_ inner: any JobStore) {
        self.inner = inner
    }

    var calls: [String] { recorded.withLock { $0 } }

    private func record(_ name: String) {
        recorded.withLock { $0.append(name) }
    }

    func dailyCosts(in days: ClosedRange<CalendarDay>) async throws -> [DailyCost] {
        record("dailyCosts")
        return try await inner.dailyCosts(in: days)
    }

    func baselines() async throws -> [Baseline] {
        record("baselines")
        return try await inner.baselines()
    }

    func baseline(of key: CostKey) async throws -> Baseline? {
        record("baseline")
        return try await inner.baseline(of: key)
    }

    func baselineWindowEnd() async throws -> CalendarDay? {
        record("baselineWindowEnd")
        return try await inner.baselineWindowEnd()
    }

    func anomalies(in days: ClosedRange<CalendarDay>) async throws -> [Anomaly] {
        record("anomalies")
        return try await inner.anomalies(in: days)
    }

    func commit(_ changes: StoreChanges) async throws {
        record("commit")
        try await inner.commit(changes)
    }

    func jobRuns(in days: ClosedRange<CalendarDay>) async throws -> [JobRun] {
        record("jobRuns")
        return try await inner.jobRuns(in: days)
    }

    func withJobLock<T>(
        _ name: String, wait: Duration, waiting: @Sendable () -> Void, _ body: () async throws -> T
    ) async throws -> T {
        record("withJobLock")
        return try await inner.withJobLock(name, wait: wait, waiting: waiting, body)
    }

    func intradaySnapshots(in days: ClosedRange<CalendarDay>, hour: Int) async throws -> [IntradaySnapshot] {
        record("intradaySnapshots")
        return try await inner.intradaySnapshots(in: days, hour: hour)
    }

    func deliveries(in days: ClosedRange<CalendarDay>) async throws -> [Delivery] {
        record("deliveries")
        return try await inner.deliveries(in: days)
    }

    func silences() async throws -> [Silence] {
        record("silences")
        return try await inner.silences()
    }

    func feedback(in days: ClosedRange<CalendarDay>) async throws -> [AnomalyFeedback] {
        record("feedback")
        return try await inner.feedback(in: days)
    }

    func costHistory(in days: ClosedRange<CalendarDay>, skipping skipped: CalendarDay?) async throws -> CostHistory {
        record("costHistory")
        return try await inner.costHistory(in: days, skipping: skipped)
    }

    func keyCount(on day: CalendarDay) async throws -> Int {
        record("keyCount")
        return try await inner.keyCount(on: day)
    }

    func movers(on day: CalendarDay) async throws -> [DailyDigest.Mover] {
        record("movers")
        return try await inner.movers(on: day)
    }

    func serviceTotals(in days: ClosedRange<CalendarDay>) async throws -> [ServiceDayTotal] {
        record("serviceTotals")
        return try await inner.serviceTotals(in: days)
    }

    func dailyCosts(of keys: [CostKey], in days: ClosedRange<CalendarDay>) async throws -> [DailyCost] {
        record("dailyCostsOfKeys")
        return try await inner.dailyCosts(of: keys, in: days)
    }
}
