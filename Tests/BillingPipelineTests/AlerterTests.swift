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
        let state = outcomes.notificationState(at: Date(timeIntervalSince1970: 5))
        #expect(state.status == .failed && state.detail?.contains("first:") == true)
    }

    @Test func everyChannelDeliveringIsSent() async {
        let outcomes = await Alerter(channels: [RecordingChannel()]).send(.anomalies([Fixtures.anomaly()]), logger: Logger(label: "t"))
        #expect(outcomes.notificationState(at: Date(timeIntervalSince1970: 5)) == NotificationState(status: .sent, at: Date(timeIntervalSince1970: 5)))
    }
}
