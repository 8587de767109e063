import AsyncHTTPClient
import HTTPTransport
import BillingCore
import BillingPipeline
import Foundation
import NIOCore

/// Posts anomalies to a Slack incoming webhook. The webhook URL is a secret: it never appears in
/// errors or logs.
public struct SlackChannel: AlertChannel {
    public let name = ChannelName.slack.rawValue
    let poster: WebhookPoster

    public init(webhookURL: String, httpClient: HTTPClient = HTTPTransport.client, timeout: Duration = .seconds(10)) {
        poster = WebhookPoster(service: "Slack", url: webhookURL, configKey: "alert.slackWebhookUrl", httpClient: httpClient, timeout: timeout)
    }

    public func send(_ message: AlertMessage) async throws {
        switch message {
        case .anomalies(let anomalies) where !anomalies.isEmpty:
            try await poster.post(JSONEncoder().encode(SlackMessage.anomalies(anomalies)))
        case .digest(let digest):
            try await poster.post(JSONEncoder().encode(SlackMessage.digest(digest)))
        case .anomalies:
            return
        }
    }

    /// Asks the webhook to answer without posting anything: an empty payload gets Slack's `no_text` or
    /// `invalid_payload` error when the URL is valid, and 404 when it is not.
    public func checkReachable() async throws -> String {
        try await poster.probe(Data("{}".utf8))
    }
}
