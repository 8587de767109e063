import BillingCore
import BillingTesting
import Foundation
import Logging
import Testing

@testable import BillingPipeline

@Suite struct AlerterTests {
    @Test func aFailingChannelDoesNotStopTheOthers() async {
        let failing = RecordingChannel(name: "first", failures: 1)
        let working = RecordingChannel(name: "second")
        let outcomes = await Alerter(channels: [failing, working]).send(.anomalies([Fixtures.anomaly()]), logger: Logger(label: "t"))
        #expect(outcomes.map(\.delivered) == [false, true])
        #expect(working.sentAnomalies.count == 1)
    }

    /// An anomaly's notification state sums up its deliveries: sent only when every channel delivered.
    @Test func anAnomalyIsSentOnlyWhenEveryChannelDelivered() {
        let anomaly = Fixtures.anomaly()
        func delivery(_ channel: String, _ status: Delivery.Status) -> Delivery {
            Delivery(date: anomaly.date, hour: anomaly.hour, key: anomaly.key, channel: channel, status: status, attempts: 1,
                lastError: status == .sent ? nil : "refused")
        }
        let now = Date(timeIntervalSince1970: 5)
        let failed = DeliveryPlan.summaries([delivery("first", .failed), delivery("second", .sent)], now: now)
        #expect(failed.count == 1)
        #expect(failed.first?.state.status == .failed && failed.first?.state.detail?.contains("first:") == true)
        let sent = DeliveryPlan.summaries([delivery("first", .sent), delivery("second", .sent)], now: now)
        #expect(sent.first?.state == NotificationState(status: .sent, at: now))
    }
}
