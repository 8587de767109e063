import AsyncHTTPClient
import BillingCore
import BillingPipeline
import Foundation
import NIOCore

/// Posts anomalies to a Slack incoming webhook. The webhook URL is a secret: it never appears in
/// errors or logs.
public struct SlackChannel: AlertChannel {
    public let name = "slack"
    let poster: WebhookPoster

    public init(webhookURL: String, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        poster = WebhookPoster(service: "Slack", url: webhookURL, configKey: "alert.slackWebhookUrl", httpClient: httpClient, timeout: timeout)
    }

    public func send(_ message: AlertMessage) async throws {
        // Daily totals go to the console and syslog; Slack hears about anomalies only.
        guard case .anomalies(let anomalies) = message, !anomalies.isEmpty else { return }
        try await poster.post(JSONEncoder().encode(SlackMessage.anomalies(anomalies)))
    }

    /// Asks the webhook to answer without posting anything: an empty payload gets Slack's `no_text` or
    /// `invalid_payload` error when the URL is valid, and 404 when it is not.
    public func checkReachable() async throws -> String {
        try await poster.probe(Data("{}".utf8))
    }
}
