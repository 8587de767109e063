import AlertChannels
import BillingCore
import BillingPipeline
import Testing

/// The channels' names come from one list, which the configuration's routes accept too.
@Suite struct ChannelNameTests {
    @Test func everyChannelIsNamedFromTheOneList() {
        let channels: [any AlertChannel] = [
            ConsoleChannel(write: { _ in }), SyslogChannel(socketPath: "/nonexistent"), SlackChannel(webhookURL: "http://127.0.0.1:1"),
            KakaoWorkChannel(webhookURL: "http://127.0.0.1:1"), AlertmanagerWebhookChannel(url: "http://127.0.0.1:1"),
        ]
        #expect(channels.map { ChannelName(rawValue: $0.name) } == ChannelName.allCases.map { $0 })
    }

    @Test func theDigestGoesWhereItAlwaysWentUnlessARouteSaysOtherwise() {
        #expect(ChannelName.allCases.filter(\.takesDigestUnlessTold) == [.console, .syslog])
        #expect(ChannelName.allCases.filter { !$0.canTakeDigest } == [.webhook])
    }
}
