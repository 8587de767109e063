import AsyncHTTPClient
import BillingCore
import BillingPipeline
import Foundation
import NIOCore

/// Posts anomalies to a Slack incoming webhook. The webhook URL is a secret: it never appears in
/// errors or logs.
public struct SlackChannel: AlertChannel {
    public let name = "slack"
    let webhookURL: String
    let httpClient: HTTPClient
    let timeout: Duration

    public init(webhookURL: String, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.webhookURL = webhookURL
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func send(_ message: AlertMessage) async throws {
        // Daily totals go to the console and syslog; Slack hears about anomalies only.
        guard case .anomalies(let anomalies) = message, !anomalies.isEmpty else { return }
        try await post(SlackMessage.anomalies(anomalies))
    }

    func post(_ payload: some Encodable) async throws {
        try await WebhookPoster(service: "Slack", url: webhookURL, configKey: "alert.slackWebhookUrl", httpClient: httpClient, timeout: timeout)
            .post(JSONEncoder().encode(payload))
    }

    /// Asks the webhook to answer without posting anything: an empty payload gets Slack's `no_text` or
    /// `invalid_payload` error when the URL is valid, and 404 when it is not.
    public func checkReachable() async throws -> String {
        try await WebhookPoster(service: "Slack", url: webhookURL, configKey: "alert.slackWebhookUrl", httpClient: httpClient, timeout: timeout)
            .probe(Data("{}".utf8))
    }
}
