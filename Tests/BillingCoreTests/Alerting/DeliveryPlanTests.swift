import Foundation
import Testing

@testable import BillingCore

/// The delivery plan decides from data alone: no store, no channel, no network.
@Suite struct DeliveryPlanTests {
    let day = CalendarDay("20261125")!
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    /// A team channel that takes everything, and a pager that takes only an excess of 50,000 or more.
    let channels: [(name: String, route: ChannelRoute)] = [("slack", ChannelRoute()), ("webhook", ChannelRoute(minImpact: 50_000))]

    func anomaly(service: String, impact: Double, hour: Int = Anomaly.wholeDay) -> Anomaly {
        var anomaly = Anomaly(
            date: day, hour: hour, key: CostKey(domainId: "d", projectId: "p", serviceId: service),
            domainName: "dom", projectName: "proj", serviceName: "svc-\(service)", observed: ExactDecimal(Int(impact) + 10_000),
            baselineMean: 10_000, baselineStd: 100, zScore: 10, ratio: (impact + 10_000) / 10_000, zScoreThreshold: 4,
            ratioThreshold: 1.3, detector: "seasonal", status: "open", notification: NotificationState(), detectedAt: now)
        anomaly.explanation = AnomalyExplanation(expected: 10_000, impact: impact)
        return anomaly
    }

    func delivery(_ anomaly: Anomaly, _ channel: String, _ status: Delivery.Status, attempts: Int = 1) -> Delivery {
        Delivery(
            date: anomaly.date, hour: anomaly.hour, key: anomaly.key, channel: channel, status: status, attempts: attempts,
            lastError: status == .failed ? "HTTP 503" : nil)
    }

    func plan(
        announcing: [Anomaly], standing: [Anomaly]? = nil, stored: [Delivery] = [], feedback: [AnomalyFeedback] = [],
        silences: [Silence] = []
    ) -> DeliveryPlan {
        DeliveryPlan(
            announcing: announcing, standing: standing ?? announcing, deliveries: stored, feedback: feedback,
            silences: silences, channels: channels, now: now)
    }

    @Test func aNewAnomalyIsOwedToEachChannelWhoseRouteAdmitsIt() {
        let small = anomaly(service: "1", impact: 20_000), large = anomaly(service: "2", impact: 80_000)
        let plan = plan(announcing: [small, large])
        #expect(plan.deliveries.map { "\($0.key.serviceId)→\($0.channel) \($0.status) \($0.attempts)" }
            == ["1→slack pending 0", "2→slack pending 0", "2→webhook pending 0"])
        #expect(plan.notifications.isEmpty)
        #expect(plan.announced.map(\.key.serviceId) == ["1", "2"])
        // One message per channel, worst first.
        #expect(plan.sends.map(\.channel) == ["slack", "webhook"])
        #expect(plan.sends[0].anomalies.map(\.key.serviceId) == ["2", "1"])
        #expect(plan.sends[1].anomalies.map(\.key.serviceId) == ["2"])
    }

    @Test func aSilencedAnomalyIsRecordedAsSilencedAndOwedToNobody() {
        let silence = Silence(
            id: "ab12cd34", matchers: [Silence.Matcher(field: .service, value: "svc-1")], until: day.adding(days: 3),
            reason: "migration", createdAt: now)
        let plan = plan(announcing: [anomaly(service: "1", impact: 80_000)], silences: [silence])
        #expect(plan.deliveries.isEmpty && plan.sends.isEmpty && plan.announced.isEmpty)
        #expect(plan.notifications.map(\.state.status) == [.silenced])
        #expect(plan.notifications.first?.state.detail == "silence ab12cd34 until 20261128: migration")
    }

    @Test func anExpiredSilenceHoldsNothingBack() {
        let silence = Silence(
            id: "ab12cd34", matchers: [Silence.Matcher(field: .service, value: "svc-1")], until: day.adding(days: -1),
            reason: "over", createdAt: now)
        let plan = plan(announcing: [anomaly(service: "1", impact: 80_000)], silences: [silence])
        #expect(plan.notifications.isEmpty)
        #expect(plan.sends.map(\.channel) == ["slack", "webhook"])
    }

    @Test func aVerdictThatStopsAlertsClosesTheAnomalyAndRealDoesNot() {
        let spiked = anomaly(service: "1", impact: 80_000)
        for (verdict, sent) in [(AnomalyFeedback.Verdict.planned, false), (.notAnomaly, false), (.real, true)] {
            let feedback = AnomalyFeedback(date: day, key: spiked.key, verdict: verdict, note: nil, recordedAt: now)
            let plan = plan(announcing: [spiked], feedback: [feedback])
            #expect(!plan.sends.isEmpty == sent, "\(verdict)")
            #expect(plan.notifications.isEmpty, "a closed anomaly is not recorded as held back: \(verdict)")
        }
    }

    @Test func anAnomalyBelowEveryChannelsMinimumIsRecordedAsSkipped() {
        let plan = DeliveryPlan(
            announcing: [anomaly(service: "1", impact: 20_000)], standing: [anomaly(service: "1", impact: 20_000)],
            deliveries: [], feedback: [], silences: [], channels: [("webhook", ChannelRoute(minImpact: 50_000))], now: now)
        #expect(plan.sends.isEmpty && plan.deliveries.isEmpty)
        #expect(plan.notifications.map(\.state.status) == [.skipped])
        #expect(plan.notifications.first?.state.detail == "below every channel's minimum impact")
    }

    @Test func anEarlierFailureIsSentAgainInTheSameMessageAsTheNewOnes() {
        let earlier = anomaly(service: "1", impact: 30_000, hour: 10), fresh = anomaly(service: "2", impact: 20_000)
        let stored = [delivery(earlier, "slack", .failed, attempts: 2), delivery(earlier, "console", .sent)]
        let plan = plan(announcing: [fresh], standing: [earlier, fresh], stored: stored)
        let slack = plan.sends.first { $0.channel == "slack" }
        #expect(slack?.anomalies.map(\.key.serviceId) == ["1", "2"])
        #expect(slack?.deliveries.map(\.attempts).sorted() == [0, 2])
        // Only the new delivery is recorded before sending; the failed one is already on record.
        #expect(plan.deliveries.map(\.key.serviceId) == ["2"])
        #expect(plan.announced.map(\.key.serviceId) == ["2"])
    }

    @Test func anOwedDeliveryIsWithdrawnWhenASilenceOrAVerdictCameAfterIt() {
        let silenced = anomaly(service: "1", impact: 30_000), planned = anomaly(service: "2", impact: 30_000)
        let silence = Silence(
            id: "ab12cd34", matchers: [Silence.Matcher(field: .service, value: "1")], until: day, reason: "known", createdAt: now)
        let feedback = AnomalyFeedback(date: day, key: planned.key, verdict: .planned, note: nil, recordedAt: now)
        let plan = plan(
            announcing: [], standing: [silenced, planned],
            stored: [delivery(silenced, "slack", .pending, attempts: 0), delivery(planned, "slack", .failed, attempts: 3)],
            feedback: [feedback], silences: [silence])
        #expect(plan.sends.isEmpty)
        #expect(plan.deliveries.map { "\($0.key.serviceId) \($0.status) \($0.attempts) \($0.lastError ?? "-")" }
            == ["1 withdrawn 0 -", "2 withdrawn 3 -"])
        #expect(plan.notifications.map { "\($0.key.serviceId) \($0.state.status)" } == ["1 silenced"])
    }

    @Test func aDeliveryOfAnAnomalyThatNoLongerStandsIsNotSent() {
        let vanished = anomaly(service: "1", impact: 30_000)
        let plan = plan(announcing: [], standing: [], stored: [delivery(vanished, "slack", .failed)])
        #expect(plan.sends.isEmpty && plan.deliveries.isEmpty && plan.notifications.isEmpty)
    }

    @Test func aNewDeliveryReplacesAnEarlierOneToTheSameChannel() {
        let spiked = anomaly(service: "1", impact: 80_000)
        let plan = plan(announcing: [spiked], stored: [delivery(spiked, "slack", .failed, attempts: 4)])
        let slack = plan.sends.first { $0.channel == "slack" }
        #expect(slack?.deliveries.map(\.attempts) == [0])
        #expect(slack?.anomalies.count == 1)
    }

    @Test func outcomesBecomeDeliveriesAndEachAnomalysState() {
        let large = anomaly(service: "2", impact: 80_000), small = anomaly(service: "1", impact: 20_000)
        let plan = plan(announcing: [large, small])
        let (deliveries, notifications) = plan.records(
            after: ["slack": .sent, "webhook": .failed(reason: "HTTP 400 bad payload", retryable: false)])
        #expect(deliveries.map { "\($0.key.serviceId)→\($0.channel) \($0.status) \($0.attempts) \($0.lastError ?? "-")" }.sorted()
            == ["1→slack sent 1 -", "2→slack sent 1 -", "2→webhook rejected 1 HTTP 400 bad payload"])
        let states = Dictionary(uniqueKeysWithValues: notifications.map { ($0.key.serviceId, $0.state) })
        #expect(states["1"]?.status == .sent)
        #expect(states["2"]?.status == .failed)
        #expect(states["2"]?.detail == "webhook: HTTP 400 bad payload")

        let retried = plan.records(after: ["slack": .failed(reason: "HTTP 503", retryable: true)])
        #expect(retried.deliveries.map(\.status) == [.failed, .failed])
        #expect(retried.deliveries.allSatisfy { $0.channel == "slack" }, "a channel with no outcome is left as it was")
    }
}
