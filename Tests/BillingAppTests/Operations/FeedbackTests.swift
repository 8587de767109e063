import BillingCore
import BillingPipeline
import BillingSimulator
import BillingTesting
import Foundation
import Testing

@testable import BillingApp

/// Silences, verdicts and channel routes, through the real jobs on a SQLite file, with Slack on a
/// capture server.
@Suite struct FeedbackTests {
    static let today = CalendarDay("20261125")!
    static let spike = SimulatedBill.Spike(day: today, serviceId: "1", projectName: "storefront", factor: 5)
    static let bill = SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [spike]))

    /// An app with 35 days of history, Slack on `slack`, and `configure` applied.
    func withApp(
        _ harness: AppHarness, slack: CaptureServer, configure: (inout AppConfiguration) -> Void = { _ in },
        _ body: (BillingApp) async throws -> Void
    ) async throws {
        try await slack.run { slackBase in
            try await harness.server.run { baseURL in
                var configuration = harness.configuration(baseURL: baseURL)
                configuration.alerts.slackWebhookURL = slackBase + "/services/feedback-SECRET"
                configure(&configuration)
                let app = harness.app(configuration)
                try await app.runBackfill(days: Self.today.adding(days: -35)...Self.today.adding(days: -1), refetch: false)
                try await body(app)
            }
        }
    }

    func runHourly(_ app: BillingApp, _ harness: AppHarness, at hour: Int) async throws -> HourlyReport {
        harness.setNow(Date.kst(Self.today.compact, hour: hour))
        return try await app.runHourly(day: nil, now: Date.kst(Self.today.compact, hour: hour))
    }

    @Test func aSilencedAnomalyIsStoredButNotSentUntilTheSilenceIsRemoved() async throws {
        let harness = try AppHarness(bill: Self.bill, now: Date.kst("20261125", hour: 9))
        let slack = CaptureServer()
        try await withApp(harness, slack: slack) { app in
            let silence = try await app.addSilence(
                match: "project=store*,service=Virtual Machine", until: Self.today, reason: "load test", now: Date.kst("20261125", hour: 8))
            let held = try await runHourly(app, harness, at: 9)
            #expect(held.anomalies.count == 1 && held.newlySent.isEmpty)
            let stored = try await app.withStore { try await $0.anomalies(in: Self.today...Self.today) }
            #expect(stored.map(\.notification.status) == [.silenced])
            #expect(stored.first?.notification.detail?.contains(silence.id) == true)
            #expect(slack.requests.isEmpty && harness.anomalyLines.isEmpty)

            _ = try await app.removeSilence(silence.id, now: Date.kst("20261125", hour: 10))
            let released = try await runHourly(app, harness, at: 10)
            #expect(released.newlySent.map(\.key) == held.anomalies.map(\.key))
        }
        #expect(slack.requests.count == 1 && harness.anomalyLines.count == 1)
    }

    /// A delivery Slack refused stays owed for the next run; a silence or a verdict that arrives before
    /// that run withdraws it: nothing more goes to Slack, and the delivery is on record as withdrawn.
    @Test(arguments: ["silence", "verdict"])
    func anOwedDeliveryIsWithdrawnWhenASilenceOrAVerdictArrives(what: String) async throws {
        let harness = try AppHarness(bill: Self.bill, now: Date.kst("20261125", hour: 9))
        let slack = CaptureServer()
        slack.respond(with: [500], body: "internal_error")
        try await withApp(harness, slack: slack) { app in
            let first = try await runHourly(app, harness, at: 9)
            let anomaly = try #require(first.anomalies.first)
            #expect(first.anomalies.count == 1)
            func slackDeliveries() async throws -> [Delivery.Status] {
                try await app.withStore { try await $0.deliveries(in: Self.today...Self.today) }.filter { $0.channel == "slack" }.map(\.status)
            }
            #expect(try await slackDeliveries() == [.failed])
            if what == "silence" {
                _ = try await app.addSilence(
                    match: "service=\(anomaly.serviceName)", until: Self.today, reason: "known", now: Date.kst("20261125", hour: 9))
            } else {
                _ = try await app.acknowledge(anomaly.id, as: .planned, note: nil, now: Date.kst("20261125", hour: 9))
            }
            let next = try await runHourly(app, harness, at: 10)
            #expect(next.newlySent.isEmpty && next.alertOutcomes.isEmpty)
            #expect(try await slackDeliveries() == [.withdrawn])
        }
        #expect(slack.requests.count == 1, "only the refused post")
    }

    @Test func eachChannelGetsOnlyWhatClearsItsMinimum() async throws {
        let harness = try AppHarness(bill: Self.bill, now: Date.kst("20261125", hour: 9))
        let slack = CaptureServer()
        try await withApp(harness, slack: slack, configure: { $0.alerts.routes["slack"] = ChannelRoute(minImpact: 1e12) }) { app in
            let report = try await runHourly(app, harness, at: 9)
            #expect(report.newlySent.count == 1)
            let deliveries = try await app.withStore { try await $0.deliveries(in: Self.today...Self.today) }
            #expect(deliveries.map(\.channel) == ["console"])
        }
        #expect(slack.requests.isEmpty)
        #expect(harness.anomalyLines.count == 1)
    }

    /// With a one-hour repeat interval, an anomaly is announced again each hour unless a verdict stops it.
    @Test(arguments: [nil, AnomalyFeedback.Verdict.planned, .notAnomaly, .real])
    func plannedAndNotAnomalyStopRepeatsAndRealDoesNot(verdict: AnomalyFeedback.Verdict?) async throws {
        let harness = try AppHarness(bill: Self.bill, now: Date.kst("20261125", hour: 9))
        let slack = CaptureServer()
        try await withApp(harness, slack: slack, configure: { $0.alerts.policy.repeatInterval = .seconds(3600) }) { app in
            let first = try await runHourly(app, harness, at: 9)
            let anomaly = try #require(first.newlySent.first)
            if let verdict {
                let said = try await app.acknowledge(anomaly.id, as: verdict, note: "batch import", now: Date.kst("20261125", hour: 9))
                #expect(said.contains("marked \(verdict.rawValue)"))
            }
            for hour in 10...11 { _ = try await runHourly(app, harness, at: hour) }
        }
        #expect(slack.requests.count == (verdict == nil || verdict == .real ? 3 : 1))
    }

    @Test func notAnomalyPutsTheDayBackIntoTheBaselinesAndPlannedOrRealKeepsItOut() async throws {
        let harness = try AppHarness(bill: Self.bill, now: Date.kst("20261126", hour: 3))
        let slack = CaptureServer()
        try await withApp(harness, slack: slack) { app in
            let daily = try await app.runDaily(day: Self.today, now: Date.kst("20261126", hour: 3))
            let anomaly = try #require(daily.anomalies.first)
            #expect(daily.anomalies.count == 1)
            let baseline = { try await app.withStore { try await $0.baselines() }.first { $0.key == anomaly.key } }
            let isAnomaly = {
                try await app.withStore { try await $0.dailyCosts(in: Self.today...Self.today) }.first { $0.key == anomaly.key }?.isAnomaly
            }
            let flagged = try #require(try await baseline())
            #expect(try await isAnomaly() == true)

            _ = try await app.acknowledge(anomaly.id, as: .notAnomaly, note: nil, now: Date.kst("20261126", hour: 4))
            let counted = try #require(try await baseline())
            #expect(try await isAnomaly() == false)
            #expect(counted.sampleCount == flagged.sampleCount + 1 && counted.mean > flagged.mean)

            // A rerun of the day keeps the verdict, and does not announce what was closed.
            let rerun = try await app.runDaily(day: Self.today, now: Date.kst("20261126", hour: 5))
            #expect(rerun.anomalies.count == 1)
            #expect(try await isAnomaly() == false)
            #expect(try await baseline() == counted.with(computedAt: Date.kst("20261126", hour: 5)))

            _ = try await app.acknowledge(anomaly.id, as: .planned, note: "quarter-end batch", now: Date.kst("20261126", hour: 6))
            #expect(try await isAnomaly() == true)
            #expect(try await baseline()?.sampleCount == flagged.sampleCount)

            let table = try await app.anomaliesTable(days: Self.today...Self.today).render(.csv)
            #expect(table.contains(anomaly.id.description) && table.contains("planned") && table.contains("quarter-end batch"))

            // Back in, then `real`: a true anomaly stays out of the baselines as the detector had it.
            _ = try await app.acknowledge(anomaly.id, as: .notAnomaly, note: nil, now: Date.kst("20261126", hour: 7))
            #expect(try await baseline()?.sampleCount == counted.sampleCount)
            _ = try await app.acknowledge(anomaly.id, as: .real, note: nil, now: Date.kst("20261126", hour: 8))
            #expect(try await isAnomaly() == true)
            #expect(try await baseline()?.sampleCount == flagged.sampleCount)
            #expect(try await baseline()?.mean == flagged.mean)
        }
        #expect(slack.requests.count == 1, "the first daily run announced it; the rerun after the verdict did not")
    }

    @Test func ackOfAnUnknownIdSaysHowToFindIds() async throws {
        let harness = try AppHarness(now: Date.kst("20261125", hour: 9))
        let error = await #expect(throws: PipelineError.self) {
            try await harness.withApp { app in
                try await app.acknowledge(AnomalyID("20261125-0123abcd")!, as: .planned, note: nil, now: Date())
            }
        }
        #expect(error?.description.contains("billing-alert anomalies --date 20261125") == true)
    }

    @Test func aSilenceThatHasAlreadyEndedIsRefused() async throws {
        let harness = try AppHarness(now: Date.kst("20261125", hour: 9))
        let error = await #expect(throws: FeedbackInputError.self) {
            try await harness.withApp { app in
                try await app.addSilence(match: "service=1", until: CalendarDay("20261124")!, reason: "late", now: Date.kst("20261125", hour: 9))
            }
        }
        #expect(error?.description.contains("has already passed (today is 20261125)") == true)
    }

    @Test func theDigestGoesOnlyToChannelsThatAskForIt() async throws {
        for asks in [false, true] {
            let harness = try AppHarness(bill: Self.bill, now: Date.kst("20261126", hour: 3))
            let slack = CaptureServer()
            try await withApp(harness, slack: slack, configure: { $0.alerts.routes["slack"] = ChannelRoute(minImpact: 1e12, digest: asks) }) { app in
                let report = try await app.runDaily(day: Self.today, now: Date.kst("20261126", hour: 3))
                let digest = try #require(report.digest)
                #expect(digest.openAnomalies.map(\.id) == report.anomalies.map(\.id))
                #expect(digest.topMovers.first?.key == report.anomalies.first?.key, "the spike is the largest move")
            }
            #expect(slack.requests.count == (asks ? 1 : 0))
            if asks {
                let text = try #require(slack.requests.first?.json?["text"] as? String)
                #expect(text.hasPrefix(":bar_chart: The bill for 2026-11-25 was "))
            }
            #expect(harness.output.contains { $0.hasPrefix("[BILLING_DAILY_TOTAL] date=20261125") }, "the console takes the digest by default")
        }
    }
}

extension Baseline {
    func with(computedAt: Date) -> Baseline {
        var copy = self
        copy.computedAt = computedAt
        return copy
    }
}
