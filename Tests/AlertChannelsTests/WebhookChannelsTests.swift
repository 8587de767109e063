import BillingCore
import BillingPipeline
import BillingTesting
import Foundation
import Testing

@testable import AlertChannels

@Suite struct KakaoWorkChannelTests {
    @Test func postsTextAlwaysPlusBlocksWithTheNumbers() async throws {
        let server = CaptureServer()
        try await server.run { base in
            try await KakaoWorkChannel(webhookURL: base + "/bots/hook/kakaoSECRETkey").send(.anomalies([Fixtures.anomaly()]))
        }
        let json = try #require(server.requests.first?.json)
        #expect(server.requests.first?.path == "/bots/hook/kakaoSECRETkey")
        let text = try #require(json["text"] as? String)
        #expect(text.hasPrefix("Billing anomaly: Virtual Machine in project storefront cost 250,000.5 KRW on 2026-11-25 by 14:00 KST"))
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.first?["type"] as? String == "header")
        let terms = blocks.compactMap { $0["term"] as? String }
        #expect(terms == ["Service", "Project", "Observed", "Usual", "z / ratio", "Id"])
        let contents = blocks.compactMap { ($0["content"] as? [String: Any])?["text"] as? String }
        #expect(contents.contains("250,000.5 KRW") && contents.contains("15.00 / 2.50x"))
    }

    @Test func theDigestIsASentenceThenTheMoversAndOpenAnomalies() async throws {
        let anomaly = Fixtures.anomaly()
        let cost = DailyCost(
            date: anomaly.date, key: anomaly.key, domainName: "Acme", projectName: "storefront", serviceName: "Virtual Machine",
            expectAmount: ExactDecimal("300")!)
        let earlier = DailyCost(
            date: anomaly.date.adding(days: -1), key: anomaly.key, domainName: "Acme", projectName: "storefront",
            serviceName: "Virtual Machine", expectAmount: ExactDecimal("100")!)
        let digest = DailyDigest(
            total: DailyTotal(date: anomaly.date, costs: [cost], anomalyCount: 1), costs: [cost], history: [earlier],
            anomalies: [anomaly], feedback: [], silences: [])
        let server = CaptureServer()
        try await server.run { base in
            try await KakaoWorkChannel(webhookURL: base + "/bots/hook/kakaoSECRETkey").send(.digest(digest))
        }
        let json = try #require(server.requests.first?.json)
        #expect(json["text"] as? String == "The bill for 2026-11-25 was 300 KRW, 200.00 KRW (+200 %) above the usual 100.00 KRW.")
        let texts = (json["blocks"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(texts.first == "Billing digest for 2026-11-25")
        #expect(texts.contains("Virtual Machine in storefront: 300 KRW, usual 100.00 KRW (+200.00 KRW)"))
        #expect(texts.contains { $0.hasPrefix(anomaly.id.description + " Virtual Machine in storefront") })
    }

    @Test func aRefusedPostNamesTheKeyButNotTheURL() async throws {
        let server = CaptureServer()
        server.respond(with: [400], body: "invalid_block")
        let error = await #expect(throws: WebhookError.self) {
            try await server.run { base in
                try await KakaoWorkChannel(webhookURL: base + "/bots/hook/kakaoSECRETkey").send(.anomalies([Fixtures.anomaly()]))
            }
        }
        #expect(error?.description.contains("alert.kakaoWorkWebhookUrl") == true)
        #expect(error?.description.contains("kakaoSECRETkey") == false)
        #expect(error?.isRetryable == false)
    }
}

@Suite struct AlertmanagerWebhookChannelTests {
    @Test func digestsAreNotAlertsSoTheyAreNotPosted() async throws {
        let server = CaptureServer()
        let digest = DailyDigest(
            total: DailyTotal(date: CalendarDay("20261125")!, costs: [], anomalyCount: 0), costs: [], history: [],
            anomalies: [], feedback: [], silences: [])
        try await server.run { base in
            try await AlertmanagerWebhookChannel(url: base + "/hook").send(.digest(digest))
        }
        #expect(server.requests.isEmpty)
    }

    @Test func postsAlertmanagersVersion4Payload() async throws {
        let server = CaptureServer()
        var second = Fixtures.anomaly(key: CostKey(domainId: "dom-1", projectId: "prj-1", serviceId: "2"))
        second.serviceName = "Block Storage"
        try await server.run { base in
            let channel = AlertmanagerWebhookChannel(url: base + "/hook/amSECRET")
            try await channel.send(.anomalies([Fixtures.anomaly(), second]))
            try await channel.send(.anomalies([Fixtures.anomaly()]))
        }
        let body = try #require(server.requests.first?.json)
        #expect(body["version"] as? String == "4" && body["status"] as? String == "firing")
        #expect(body["receiver"] as? String == "billing-alert" && body["truncatedAlerts"] as? Int == 0)
        #expect(body["groupKey"] as? String == #"{}:{alertname="BillingCostAnomaly"}"#)
        #expect((body["groupLabels"] as? [String: String]) == ["alertname": "BillingCostAnomaly"])
        let common = try #require(body["commonLabels"] as? [String: String])
        #expect(common["project_id"] == "prj-1" && common["service_id"] == nil)
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        let alert = alerts[0]
        #expect(alert["status"] as? String == "firing" && alert["endsAt"] as? String == "0001-01-01T00:00:00Z")
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(labels["alertname"] == "BillingCostAnomaly" && labels["service_name"] == "Virtual Machine")
        // The label names the README lists, no more and no fewer.
        #expect(Set(labels.keys) == [
            "alertname", "domain_id", "domain_name", "project_id", "project_name", "service_id", "service_name", "date", "hour",
            "detector", "severity",
        ])
        #expect(labels["date"] == "20261125" && labels["hour"] == "14" && labels["severity"] == "warning")
        let annotations = try #require(alert["annotations"] as? [String: String])
        #expect(annotations["summary"]?.contains("more than the expected 100,000.00 KRW (+150 %)") == true)
        #expect(annotations["observed"] == "250000.5")
        let fingerprint = try #require(alert["fingerprint"] as? String)
        #expect(fingerprint.count == 16 && fingerprint.allSatisfy(\.isHexDigit))
        #expect(fingerprint != alerts[1]["fingerprint"] as? String)
        let again = try #require((server.requests.last?.json?["alerts"] as? [[String: Any]])?.first)
        #expect(again["fingerprint"] as? String == fingerprint, "the same anomaly keeps its fingerprint")
    }
}

@Suite struct AlertSentenceTests {
    @Test func saysWhatHappenedWithTheIncreaseInPercentAndMoney() {
        var anomaly = Fixtures.anomaly(hour: Anomaly.wholeDay)
        anomaly.explanation = AnomalyExplanation(expected: 100_000, impact: 150_000.5)
        #expect(
            AlertSentence.of(anomaly)
                == "Virtual Machine in project storefront cost 250,000.5 KRW on 2026-11-25, 150,000.50 KRW more than the expected 100,000.00 KRW (+150 %).")
    }
}

/// Every webhook channel is bounded by its timeout, body included, and never follows a redirect.
@Suite struct WebhookBoundsTests {
    static func channels(_ base: String, timeout: Duration = .seconds(10)) -> [any AlertChannel] {
        [
            SlackChannel(webhookURL: base + "/services/T/B/slackSECRET", timeout: timeout),
            KakaoWorkChannel(webhookURL: base + "/bots/hook/kakaoSECRET", timeout: timeout),
            AlertmanagerWebhookChannel(url: base + "/hook/amSECRET", timeout: timeout),
        ]
    }

    @Test func anAnswerThatStallsAfterItsHeadersEndsAtTheTimeout() async throws {
        let (errors, elapsed) = try await CaptureServer.withStalledAnswers { base in
            var errors: [String] = []
            for channel in Self.channels(base, timeout: .seconds(1)) {
                do {
                    try await channel.send(.anomalies([Fixtures.anomaly()]))
                } catch {
                    errors.append("\(error)")
                }
            }
            return errors
        }
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0.contains("did not answer within 1 s") && !$0.contains("SECRET") })
        // Three one-second limits; the shared client's read timeout let each wait 90 s.
        #expect(elapsed < .seconds(60))
    }

    @Test func aRedirectIsAnAnswerNotAnAddressToFollow() async throws {
        let server = CaptureServer()
        server.respond(with: [307, 307, 307])
        let errors = try await server.run { base in
            var errors: [String] = []
            for channel in Self.channels(base) {
                do {
                    try await channel.send(.anomalies([Fixtures.anomaly()]))
                } catch {
                    errors.append("\(error)")
                }
            }
            return errors
        }
        #expect(errors.count == 3 && errors.allSatisfy { $0.contains("HTTP 307") && !$0.contains("SECRET") })
        #expect(server.requests.count == 3)
    }
}
