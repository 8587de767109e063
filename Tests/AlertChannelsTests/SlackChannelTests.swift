import BillingCore
import BillingPipeline
import BillingTesting
import Foundation
import Testing

@testable import AlertChannels

@Suite struct SlackChannelTests {
    static let secretPath = "/services/T0001/B0002/xoxSECRETtoken123"

    @Test func postsTheTutorialsFieldsWithAPlainTextFallback() async throws {
        let server = CaptureServer()
        let anomaly = Fixtures.anomaly()
        try await server.run { base in
            try await SlackChannel(webhookURL: base + Self.secretPath).send(.anomalies([anomaly]))
        }
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.path == Self.secretPath)
        #expect(request.contentType == "application/json")
        let json = try #require(request.json)
        let text = try #require(json["text"] as? String)
        #expect(text.contains("Virtual Machine") && text.contains("250,000.5 KRW") && text.contains("100,000.00 KRW"))
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        let fields = blocks.compactMap { $0["fields"] as? [[String: Any]] }.flatMap { $0 }.compactMap { $0["text"] as? String }
        let all = fields.joined(separator: "\n")
        #expect(all.contains("2026-11-25 14:00 KST"))
        #expect(all.contains("Acme") && all.contains("dom-1"))
        #expect(all.contains("storefront") && all.contains("prj-1"))
        #expect(all.contains("*Service*\nVirtual Machine (`1`)"))
        #expect(all.contains("*Observed*\n250,000.5 KRW"))
        #expect(all.contains("*Baseline mean*\n100,000.00 KRW"))
        #expect(all.contains("*Z-score*\n15.00 (threshold 3.00)"))
        #expect(all.contains("*Ratio*\n2.50x (threshold 2.00x)"))
    }

    @Test func manyAnomaliesMakeOneMessageWithATailLine() async throws {
        let server = CaptureServer()
        let anomalies = (0..<25).map { Fixtures.anomaly(key: CostKey(domainId: "d", projectId: "p", serviceId: "\($0)")) }
        try await server.run { base in
            try await SlackChannel(webhookURL: base + Self.secretPath).send(.anomalies(anomalies))
        }
        #expect(server.requests.count == 1)
        let blocks = try #require(server.requests.first?.json?["blocks"] as? [[String: Any]])
        #expect(blocks.count <= 50)
        #expect(String(describing: blocks.last).contains("and 5 more"))
    }

    @Test func theDigestSaysTheTotalAgainstTheUsualAndListsWhatIsOpen() async throws {
        let server = CaptureServer()
        let anomaly = Fixtures.anomaly()
        let digest = DailyDigest(
            total: DailyTotal(date: anomaly.date, costs: [], anomalyCount: 1), costs: [], history: [],
            anomalies: [anomaly], feedback: [], silences: [])
        try await server.run { base in
            try await SlackChannel(webhookURL: base + Self.secretPath).send(.digest(digest))
        }
        let body = try #require(server.requests.first?.json)
        let text = try #require(body["text"] as? String)
        #expect(text.contains("The bill for \(anomaly.date.iso) was 0 KRW"))
        let blocks = String(describing: body["blocks"] ?? "")
        #expect(blocks.contains("Open anomalies: 1"))
        #expect(blocks.contains(anomaly.id.description))
        #expect(blocks.contains("billing-alert ack ID"))
    }

    /// 429 (slow down) and server errors may pass: the delivery is tried again by the next run. A
    /// missing webhook (404) will not.
    @Test(arguments: [404, 429, 500])
    func aRefusedPostSaysWhatToCheckWithoutTheURL(status: Int) async throws {
        let server = CaptureServer()
        server.respond(with: [status], body: "no_service")
        let error = await #expect(throws: WebhookError.self) {
            try await server.run { base in
                try await SlackChannel(webhookURL: base + Self.secretPath).send(.anomalies([Fixtures.anomaly()]))
            }
        }
        let text = error?.description ?? ""
        #expect(text.contains("HTTP \(status)") && text.contains("alert.slackWebhookUrl") && text.contains("no_service"))
        #expect(!text.contains("xoxSECRETtoken123") && !text.contains("127.0.0.1"))
        #expect(error?.isRetryable == (status != 404))
    }

    @Test func anUnreachableWebhookIsReportedWithoutTheURL() async throws {
        let error = await #expect(throws: WebhookError.self) {
            try await SlackChannel(webhookURL: "http://127.0.0.1:1" + Self.secretPath, timeout: .seconds(1))
                .send(.anomalies([Fixtures.anomaly()]))
        }
        #expect(!(error?.description.contains("xoxSECRETtoken123") ?? true))
        #expect(error?.isRetryable == true)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("Connection refused") || text.contains("within"), "\(text)")
        #expect(!["errno", "error set", "Error("].contains { text.contains($0) }, "\(text)")
    }

    @Test func theReachabilityCheckPostsAnEmptyPayloadThatSlackRejects() async throws {
        let server = CaptureServer()
        server.respond(with: [400], body: "no_text")
        let answer = try await server.run { base in
            try await SlackChannel(webhookURL: base + Self.secretPath).checkReachable()
        }
        #expect(answer == "answered HTTP 400")
        #expect(server.requests.first?.body == Data("{}".utf8))
    }
}
