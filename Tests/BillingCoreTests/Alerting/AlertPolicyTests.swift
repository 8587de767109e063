import Foundation
import Testing

@testable import BillingCore

@Suite struct AlertPolicyTests {
    let policy = AlertPolicy(escalationFactor: 2, repeatInterval: .seconds(6 * 3600))
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    func anomaly(hour: Int, ratio: Double, impact: Double = 1000, sentAt: Date? = nil, service: String = "1") -> Anomaly {
        var anomaly = Anomaly(
            date: CalendarDay("20261125")!, hour: hour, key: CostKey(domainId: "d", projectId: "p", serviceId: service),
            domainName: "", projectName: "", serviceName: "", observed: ExactDecimal(2000), baselineMean: 1000, baselineStd: 100,
            zScore: 10, ratio: 2, zScoreThreshold: 4, ratioThreshold: 1.3, detector: "seasonal", status: "open",
            notification: NotificationState(), detectedAt: start)
        anomaly.ratio = ratio
        anomaly.explanation.impact = impact
        if let sentAt { anomaly.notification = NotificationState(status: .sent, at: sentAt) }
        return anomaly
    }

    @Test func announcesTheFirstDetectionAndNotTheSameOneAgain() {
        #expect(policy.toAnnounce([anomaly(hour: 3, ratio: 3)], alreadySent: [], now: start).count == 1)
        let sent = anomaly(hour: 3, ratio: 3, sentAt: start)
        #expect(policy.toAnnounce([anomaly(hour: 4, ratio: 3.5)], alreadySent: [sent], now: start.addingTimeInterval(3600)).isEmpty)
    }

    @Test func announcesAgainWhenItGotWorseByTheFactor() {
        let sent = anomaly(hour: 3, ratio: 3, sentAt: start)  // 200 % over expected
        #expect(policy.toAnnounce([anomaly(hour: 5, ratio: 4.9)], alreadySent: [sent], now: start).isEmpty)
        #expect(policy.toAnnounce([anomaly(hour: 5, ratio: 5)], alreadySent: [sent], now: start).count == 1)
    }

    @Test func announcesAgainAfterTheRepeatInterval() {
        let sent = anomaly(hour: 3, ratio: 3, sentAt: start)
        #expect(policy.toAnnounce([anomaly(hour: 8, ratio: 3)], alreadySent: [sent], now: start.addingTimeInterval(5 * 3600)).isEmpty)
        #expect(policy.toAnnounce([anomaly(hour: 9, ratio: 3)], alreadySent: [sent], now: start.addingTimeInterval(6 * 3600)).count == 1)
    }

    @Test func anAnnouncementThatFailedSomewhereCountsAsMadeAndTheWorstComesFirst() {
        // The outbox retries the failed channel; announcing again would repeat it on the others.
        var failed = anomaly(hour: 3, ratio: 3)
        failed.notification = NotificationState(status: .failed, at: start)
        let next = policy.toAnnounce(
            [anomaly(hour: 4, ratio: 3), anomaly(hour: 4, ratio: 3, impact: 10, service: "2"), anomaly(hour: 4, ratio: 3, impact: 500, service: "3")],
            alreadySent: [failed], now: start)
        #expect(next.map(\.key.serviceId) == ["3", "2"])
    }
}
