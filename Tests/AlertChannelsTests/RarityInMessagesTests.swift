import BillingCore
import BillingPipeline
import BillingTesting
import Foundation
import Synchronization
import Testing

@testable import AlertChannels

#if canImport(Glibc)
import Glibc
#endif

/// Every channel says how rare the day is for its key, in words people read.
@Suite struct RarityInMessagesTests {
    static var anomaly: Anomaly {
        var anomaly = Fixtures.anomaly()
        anomaly.explanation.rarity = Rarity(days: 40, historyDays: 97)
        return anomaly
    }

    /// The body a channel posts for the anomaly, captured by a server on loopback.
    func posted(_ channel: (String) -> any AlertChannel) async throws -> String {
        let server = CaptureServer()
        try await server.run { base in try await channel(base + "/hook").send(.anomalies([Self.anomaly])) }
        return String(decoding: try #require(server.requests.first?.body), as: UTF8.self)
    }

    @Test func slackKakaoWorkAndTheWebhookSayIt() async throws {
        let slack = try await posted { SlackChannel(webhookURL: $0) }
        #expect(slack.contains("*Rarity for this key*\\nabout once in 40 days"))
        #expect(slack.contains("A day this high comes about once in 40 days for it."))
        let kakaoWork = try await posted { KakaoWorkChannel(webhookURL: $0) }
        #expect(kakaoWork.contains("\"term\":\"Rarity\""))
        #expect(kakaoWork.contains("about once in 40 days"))
        let webhook = try await posted { AlertmanagerWebhookChannel(url: $0) }
        let alert = try #require((try JSONSerialization.jsonObject(with: Data(webhook.utf8)) as? [String: Any])?["alerts"] as? [[String: Any]])
        let annotations = try #require(alert.first?["annotations"] as? [String: String])
        #expect(annotations["rarity"] == "about once in 40 days")
        #expect(annotations["rarity_days"] == "40")
    }

    @Test func theConsoleAndSyslogLineSaysIt() async throws {
        let lines = Mutex<[String]>([])
        try await ConsoleChannel { line in lines.withLock { $0.append(line) } }.send(.anomalies([Self.anomaly]))
        #expect(lines.withLock { $0 }.first?.hasSuffix(#" rarity="about once in 40 days""#) == true)

        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("log.sock")
        let syslog = SyslogChannelTests()
        let descriptor = try syslog.listen(at: path)
        defer { close(descriptor) }
        try await SyslogChannel(socketPath: path).send(.anomalies([Self.anomaly]))
        #expect(syslog.receive(descriptor).hasSuffix(#" rarity="about once in 40 days""#))
    }

    @Test func theHighestDayInItsHistoryIsSaidSo() {
        var anomaly = Self.anomaly
        anomaly.explanation.rarity = Rarity(days: 98, historyDays: 97)
        #expect(AlertSentence.of(anomaly).hasSuffix("(+150 %). No day in the 97 before it cost as much, for it."))
        #expect(AlertText.anomalyLine(anomaly).hasSuffix(#"rarity="the highest in 97 days""#))
    }
}
