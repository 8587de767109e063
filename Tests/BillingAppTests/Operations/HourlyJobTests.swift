import BillingCore
import BillingPipeline
import BillingSimulator
import BillingTesting
import Foundation
import Testing

@testable import BillingApp

@Suite struct HourlyJobTests {
    static let today = CalendarDay("20261125")!
    static let spike = SimulatedBill.Spike(day: today, serviceId: "2", projectName: "storefront", factor: 40)
    static let bill = SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [spike]))

    func prepared(_ app: BillingApp, now: Date) async throws {
        try await app.runBackfill(days: Self.today.adding(days: -30)...Self.today.adding(days: -1), refetch: false)
    }

    @Test func twoRunsInOneHourKeepOneAnomalyPerKeyAndAnnounceItOnce() async throws {
        let now = Date.kst("20261125", hour: 9)
        let harness = try AppHarness(bill: Self.bill, now: now)
        try await harness.withApp { app in
            try await prepared(app, now: now)
            let first = try await app.runHourly(day: nil, now: now)
            let second = try await app.runHourly(day: nil, now: now.addingTimeInterval(300))
            #expect(first.hour == 9 && second.hour == 9)
            #expect(!first.anomalies.isEmpty)
            #expect(first.anomalies.allSatisfy { $0.key.serviceId == "2" })
            #expect(second.newlySent.isEmpty)
            let stored = try await app.openStore().anomalies(in: Self.today...Self.today)
            #expect(stored.count == first.anomalies.count)
            #expect(Set(stored.map(\.key)).count == stored.count)
            #expect(stored.allSatisfy { $0.hour == 9 && $0.notification.status == .sent })
            #expect(harness.anomalyLines.count == first.anomalies.count)
        }
    }

    @Test func aLaterHourUpdatesItsOwnRecordWithoutAnnouncingAgain() async throws {
        let harness = try AppHarness(bill: Self.bill, now: Date.kst("20261125", hour: 12))
        try await harness.withApp { app in
            try await prepared(app, now: Date.kst("20261125", hour: 12))
            let early = try await app.runHourly(day: nil, now: Date.kst("20261125", hour: 8))
            let late = try await app.runHourly(day: nil, now: Date.kst("20261125", hour: 12))
            #expect(!early.newlySent.isEmpty && late.newlySent.isEmpty)
            let stored = try await app.openStore().anomalies(in: Self.today...Self.today)
            #expect(Set(stored.map(\.hour)) == [8, 12])
        }
    }

    /// A server error or a 429 (too many requests) leaves the delivery owed; the next run sends it.
    @Test(arguments: [500, 429])
    func aFailedSlackPostIsReportedRetriedNextRunAndNeverFailsTheRun(status: Int) async throws {
        let now = Date.kst("20261125", hour: 9)
        let harness = try AppHarness(bill: Self.bill, now: now)
        let slack = CaptureServer()
        slack.respond(with: [status], body: "internal_error")
        let secretPath = "/services/T1/B2/slackSECRETpath"
        try await slack.run { slackBase in
            try await harness.server.run { baseURL in
                var configuration = harness.configuration(baseURL: baseURL)
                configuration.alerts.slackWebhookURL = slackBase + secretPath
                let app = harness.app(configuration)
                try await prepared(app, now: now)
                let first = try await app.runHourly(day: nil, now: now)
                #expect(first.alertOutcomes.contains { $0.channel == "slack" && !$0.delivered })
                var stored = try await app.openStore().anomalies(in: Self.today...Self.today)
                #expect(stored.allSatisfy { $0.notification.status == .failed })
                let second = try await app.runHourly(day: nil, now: now.addingTimeInterval(3600))
                #expect(second.alertOutcomes.allSatisfy { $0.delivered })
                #expect(second.newlySent.isEmpty, "the outbox retries the failed delivery; nothing is announced twice")
                stored = try await app.openStore().anomalies(in: Self.today...Self.today)
                #expect(stored.filter { $0.hour == 9 }.allSatisfy { $0.notification.status == .sent })
            }
        }
        #expect(slack.requests.count == 2)
        #expect(harness.output.contains { $0.contains("warning: the slack alert was not delivered") && $0.contains("HTTP \(status)") })
        #expect(!harness.output.joined().contains("slackSECRETpath"))
        #expect(harness.logText.contains("alert channel failed"))
        #expect(!harness.logText.contains("slackSECRETpath"))
        #expect(!harness.logText.contains(AppHarness.credentials.secret))
    }

    @Test func anEarlierDayIsJudgedWholeAsHour23() async throws {
        let now = Date.kst("20261126", hour: 1)
        let harness = try AppHarness(bill: Self.bill, now: now)
        try await harness.withApp { app in
            try await prepared(app, now: now)
            let report = try await app.runHourly(day: Self.today, now: now)
            #expect(report.hour == 23)
            #expect(!report.anomalies.isEmpty)
        }
    }

    /// Before 02:00 too little of the day is billed to judge: the 01:10 run of a day forty times its
    /// usual judges no key and records nothing, and the 02:10 run finds it.
    @Test func beforeTwoNothingIsJudgedAndFromTwoTheSpikeIsFound() async throws {
        let harness = try AppHarness(bill: Self.bill, now: Date.kst("20261125", hour: 1))
        try await harness.withApp { app in
            try await prepared(app, now: Date.kst("20261125", hour: 1))
            let early = try await app.runHourly(day: nil, now: Date.kst("20261125", hour: 1))
            #expect(early.hour == 1)
            #expect(!early.costs.isEmpty, "the day's first hour is billed")
            #expect(early.judgedKeyCount == 0)
            #expect(early.anomalies.isEmpty && early.newlySent.isEmpty)
            #expect(try await app.openStore().anomalies(in: Self.today...Self.today).isEmpty)
            #expect(harness.anomalyLines.isEmpty)

            harness.setNow(Date.kst("20261125", hour: 2))
            let next = try await app.runHourly(day: nil, now: Date.kst("20261125", hour: 2))
            #expect(next.judgedKeyCount > 0)
            #expect(!next.anomalies.isEmpty && next.anomalies.allSatisfy { $0.key.serviceId == "2" })
            #expect(try await app.openStore().anomalies(in: Self.today...Self.today).map(\.hour).allSatisfy { $0 == 2 })
        }
    }

    @Test func withoutBaselinesNothingIsJudged() async throws {
        let now = Date.kst("20261125", hour: 9)
        let harness = try AppHarness(bill: Self.bill, now: now)
        let report = try await harness.withApp { app in try await app.runHourly(day: nil, now: now) }
        #expect(report.judgedKeyCount == 0 && report.anomalies.isEmpty && !report.costs.isEmpty)
    }
}

@Suite struct IntradayTests {
    static let today = CalendarDay("20261125")!

    @Test func costsThatJumpAt3AreFlaggedByThe0510Run() async throws {
        let spike = SimulatedBill.Spike(day: Self.today, serviceId: "1", projectName: "storefront", factor: 6, fromHour: 3)
        let bill = SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [spike]))
        let harness = try AppHarness(bill: bill, now: Date.kst("20261125", hour: 5))
        try await harness.withApp { app in
            try await app.runBackfill(days: Self.today.adding(days: -35)...Self.today.adding(days: -1), refetch: false)
            // The runs before the jump see nothing unusual.
            for hour in 2...3 {
                harness.setNow(Date.kst("20261125", hour: hour))
                let early = try await app.runHourly(day: nil, now: Date.kst("20261125", hour: hour))
                #expect(early.anomalies.count == 0, "hour \(hour)")
            }
            harness.setNow(Date.kst("20261125", hour: 5))
            let report = try await app.runHourly(day: nil, now: Date.kst("20261125", hour: 5))
            #expect(report.hour == 5)
            let flagged = try #require(report.anomalies.first)
            #expect(report.anomalies.count == 1)
            #expect(flagged.projectName == "storefront" && flagged.key.serviceId == "1")
            #expect(flagged.detector == "seasonal")
            // Judged against the share of a normal day billed by 05:00, not against a whole day.
            let expected = try #require(flagged.explanation.expected)
            let wholeDay = try await app.withStore { try await $0.baselines() }.first { $0.key == flagged.key }?.mean ?? 0
            #expect(expected < wholeDay * 0.4)
            #expect(flagged.explanation.reason?.contains("impact and z and ratio") == true)
            // Every row of the service rose sixfold: the largest, on-demand in kr-central-2, rose the most.
            #expect(flagged.explanation.driver?.hasPrefix("ON_DEMAND in kr-central-2 (+") == true)
            let stored = try await app.withStore { try await $0.anomalies(in: Self.today...Self.today) }
            #expect(stored.first?.explanation.driver == flagged.explanation.driver)
        }
    }

    @Test func theHourlyJobRecordsTodaysCumulativeCostAtEachHour() async throws {
        let harness = try AppHarness(now: Date.kst("20261125", hour: 9))
        try await harness.withApp { app in
            harness.setNow(Date.kst("20261125", hour: 6))
            try await app.runHourly(day: nil, now: Date.kst("20261125", hour: 6))
            harness.setNow(Date.kst("20261125", hour: 9))
            try await app.runHourly(day: nil, now: Date.kst("20261125", hour: 9))
            let at6 = try await app.withStore { try await $0.intradaySnapshots(in: Self.today...Self.today, hour: 6) }
            let at9 = try await app.withStore { try await $0.intradaySnapshots(in: Self.today...Self.today, hour: 9) }
            #expect(!at6.isEmpty && at6.count == at9.count)
            let total6 = at6.reduce(ExactDecimal.zero) { $0 + $1.expectAmount }
            let total9 = at9.reduce(ExactDecimal.zero) { $0 + $1.expectAmount }
            #expect(total9 > total6)
        }
    }

    @Test func learnsTheUsualShareOfADayFromEarlierSnapshots() {
        // A service that bills most of its day in the morning: 60 % by 09:00 on earlier days.
        let samples = (0..<5).map { (atHour: 600.0 + Double($0), wholeDay: 1000.0) }
        let learned = IntradayShare.share(byHour: 9, samples: samples)
        #expect(abs(learned.share - 0.602) < 0.001)
        #expect(learned.spread < 0.05)
        let fallback = IntradayShare.share(byHour: 9, samples: Array(samples.prefix(2)))
        #expect(fallback.share == 9.0 / 24 && fallback.spread == 0.2)
    }
}

@Suite struct AlertLifecycleTests {
    static let today = CalendarDay("20261125")!

    /// Runs the hourly job at every hour of the day and counts the announcements of the spiked key.
    func announcements(_ spikes: [SimulatedBill.Spike]) async throws -> [Int] {
        let bill = SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: spikes))
        let harness = try AppHarness(bill: bill, now: Date.kst("20261125", hour: 0))
        var hours: [Int] = []
        try await harness.withApp { app in
            try await app.runBackfill(days: Self.today.adding(days: -35)...Self.today.adding(days: -1), refetch: false)
            for hour in 0..<24 {
                harness.setNow(Date.kst("20261125", hour: hour))
                let report = try await app.runHourly(day: nil, now: Date.kst("20261125", hour: hour))
                if report.newlySent.contains(where: { $0.projectName == "storefront" && $0.key.serviceId == "1" }) { hours.append(hour) }
                #expect(report.newlySent.allSatisfy { $0.projectName == "storefront" && $0.key.serviceId == "1" })
            }
        }
        return hours
    }

    @Test func aPersistentAnomalyIsAnnouncedOnceOverADayOfHourlyRuns() async throws {
        let hours = try await announcements([.init(day: Self.today, serviceId: "1", projectName: "storefront", factor: 5)])
        #expect(hours.count == 1, "\(hours)")
    }

    @Test func anAnomalyThatGetsTwiceAsBadIsAnnouncedOnceMore() async throws {
        let hours = try await announcements([
            .init(day: Self.today, serviceId: "1", projectName: "storefront", factor: 3),
            .init(day: Self.today, serviceId: "1", projectName: "storefront", factor: 7, fromHour: 10),
        ])
        #expect(hours.count == 2, "\(hours)")
        #expect((hours.last ?? 0) > 10)
    }
}

@Suite struct DeliveryOutboxTests {
    static let today = CalendarDay("20261125")!
    static let spike = SimulatedBill.Spike(day: today, serviceId: "1", projectName: "storefront", factor: 5)

    /// Hourly runs at 09:10 through 12:10 with Slack answering `statuses` in turn.
    func run(slackAnswers statuses: [Int]) async throws -> (slack: CaptureServer, deliveries: [Delivery], harness: AppHarness) {
        let bill = SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [Self.spike]))
        let harness = try AppHarness(bill: bill, now: Date.kst("20261125", hour: 9))
        let slack = CaptureServer()
        slack.respond(with: statuses, body: "slack said no")
        var deliveries: [Delivery] = []
        try await slack.run { slackBase in
            try await harness.server.run { baseURL in
                var configuration = harness.configuration(baseURL: baseURL)
                configuration.alerts.slackWebhookURL = slackBase + "/services/outbox-SECRET"
                let app = harness.app(configuration)
                try await app.runBackfill(days: Self.today.adding(days: -35)...Self.today.adding(days: -1), refetch: false)
                for hour in 9...12 {
                    harness.setNow(Date.kst("20261125", hour: hour))
                    try await app.runHourly(day: nil, now: Date.kst("20261125", hour: hour))
                }
                deliveries = try await app.withStore { try await $0.deliveries(in: Self.today...Self.today) }
            }
        }
        return (slack, deliveries, harness)
    }

    @Test func aChannelThatFailsTwiceThenSucceedsGetsExactlyOneDelivery() async throws {
        let (slack, deliveries, harness) = try await run(slackAnswers: [503, 500])
        #expect(slack.requests.count == 3, "two failures, then the delivery; nothing after it")
        let toSlack = deliveries.filter { $0.channel == "slack" }
        #expect(toSlack.count == 1 && toSlack.first?.status == .sent && toSlack.first?.attempts == 3)
        #expect(deliveries.filter { $0.channel == "console" }.map(\.status) == [.sent])
        #expect(harness.anomalyLines.count == 1, "the console got it once, on the first run")
    }

    @Test func aRefusalIsReportedAndNotRetried() async throws {
        let (slack, deliveries, harness) = try await run(slackAnswers: [400])
        #expect(slack.requests.count == 1)
        let toSlack = try #require(deliveries.first { $0.channel == "slack" })
        #expect(toSlack.status == .rejected && toSlack.attempts == 1)
        #expect(toSlack.lastError?.contains("HTTP 400") == true && toSlack.lastError?.contains("outbox-SECRET") == false)
        #expect(harness.output.contains { $0.contains("the slack alert was not delivered") && $0.contains("not retried") })
    }
}

/// `detector: classic`, the tutorial's rule, inside the jobs: the hourly job compares today so far with
/// whole days' baselines, and the daily job the finished day with the baselines of the days before it.
@Suite struct ClassicDetectorInTheJobsTests {
    static let today = HourlyJobTests.today

    func withClassicApp(_ harness: AppHarness, _ body: (BillingApp) async throws -> Void) async throws {
        try await harness.server.run { baseURL in
            var configuration = harness.configuration(baseURL: baseURL)
            configuration.detectorName = "classic"
            let app = harness.app(configuration)
            try await app.runBackfill(days: Self.today.adding(days: -30)...Self.today.adding(days: -1), refetch: false)
            try await body(app)
        }
    }

    @Test func theHourlyJobComparesTodaySoFarWithWholeDayBaselines() async throws {
        let now = Date.kst("20261125", hour: 12)
        let harness = try AppHarness(bill: HourlyJobTests.bill, now: now)
        try await withClassicApp(harness) { app in
            let baselines = try await app.withStore { try await $0.baselines() }
            let report = try await app.runHourly(day: nil, now: now)
            #expect(!report.anomalies.isEmpty)
            #expect(report.judgedKeyCount == report.costs.filter { cost in baselines.contains { $0.key == cost.key } }.count)
            for anomaly in report.anomalies {
                #expect(anomaly.detector == "classic" && anomaly.key.serviceId == "2" && anomaly.hour == 12)
                let baseline = try #require(baselines.first { $0.key == anomaly.key })
                let soFar = try #require(report.costs.first { $0.key == anomaly.key }).expectAmount
                #expect(anomaly.observed == soFar)
                #expect(anomaly.baselineMean == baseline.mean && anomaly.baselineStd == baseline.std)
                // Worked here from the stored figures: the rule's ratio, and its thresholds (z 3, ratio 2).
                let ratio = soFar.doubleValue / baseline.mean
                #expect(abs(anomaly.ratio - ratio) < 1e-9 * ratio)
                #expect(ratio >= 2 || (soFar.doubleValue - baseline.mean) / baseline.std >= 3)
            }
        }
    }

    @Test func theDailyJobComparesTheFinishedDayWithTheBaselinesOfTheDaysBefore() async throws {
        let now = Date.kst("20261126", hour: 3)
        let harness = try AppHarness(bill: HourlyJobTests.bill, now: now)
        try await withClassicApp(harness) { app in
            let before = try await app.withStore { try await $0.baselines() }
            let report = try await app.runDaily(day: Self.today, now: now)
            #expect(!report.anomalies.isEmpty)
            for anomaly in report.anomalies {
                #expect(anomaly.detector == "classic" && anomaly.key.serviceId == "2" && anomaly.hour == Anomaly.wholeDay)
                let baseline = try #require(before.first { $0.key == anomaly.key })
                #expect(abs(anomaly.baselineMean - baseline.mean) <= 1e-9 * baseline.mean)
                #expect(abs(anomaly.ratio - anomaly.observed.doubleValue / baseline.mean) < 1e-9 * anomaly.ratio)
            }
            // The day's own amounts are then in the new baselines, as the tutorial's daily job did.
            let after = try await app.withStore { try await $0.baselines() }
            #expect(after.allSatisfy { $0.windowEnd == Self.today })
        }
    }
}
