import AsyncHTTPClient
import HTTPTransport
import BillingCore
import BillingPipeline
import Foundation

/// Posts anomalies as Alertmanager's webhook payload (version 4), so teams can route cost alerts
/// through tools that already read it. The URL is a secret: it never appears in errors or logs.
public struct AlertmanagerWebhookChannel: AlertChannel {
    public let name = ChannelName.webhook.rawValue
    let poster: WebhookPoster

    public init(url: String, httpClient: HTTPClient = HTTPTransport.client, timeout: Duration = .seconds(10)) {
        poster = WebhookPoster(service: "The webhook", url: url, configKey: "alert.webhookUrl", httpClient: httpClient, timeout: timeout)
    }

    public func send(_ message: AlertMessage) async throws {
        guard case .anomalies(let anomalies) = message, !anomalies.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try await poster.post(encoder.encode(AlertmanagerPayload(anomalies)))
    }
    /// Asks the webhook's address with a GET, which posts nothing; see `WebhookPoster.probeWithoutPosting`.
    public func checkReachable() async throws -> String {
        try await poster.probeWithoutPosting()
    }
}

/// Alertmanager's webhook body: https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
struct AlertmanagerPayload: Encodable {
    struct Alert: Encodable {
        var status = "firing"
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        var endsAt = "0001-01-01T00:00:00Z"
        var generatorURL = ""
        var fingerprint: String
    }

    static let alertName = "BillingCostAnomaly"

    var version = "4"
    var groupKey = "{}:{alertname=\"\(alertName)\"}"
    var truncatedAlerts = 0
    var status = "firing"
    var receiver = "billing-alert"
    var groupLabels = ["alertname": alertName]
    var commonLabels: [String: String]
    var commonAnnotations: [String: String] = [:]
    var externalURL = ""
    var alerts: [Alert]

    init(_ anomalies: [Anomaly]) {
        alerts = anomalies.map { anomaly in
            let labels = [
                "alertname": Self.alertName, "domain_id": anomaly.key.domainId, "domain_name": anomaly.domainName,
                "project_id": anomaly.key.projectId, "project_name": anomaly.projectName,
                "service_id": anomaly.key.serviceId, "service_name": anomaly.serviceName, "date": anomaly.date.compact,
                "hour": AlertText.hourText(anomaly.hour), "detector": anomaly.detector,
                "severity": anomaly.ratio >= 3 ? "critical" : "warning",
            ]
            var annotations = [
                "summary": AlertSentence.of(anomaly), "description": AlertText.anomalyLine(anomaly),
                "observed": anomaly.observed.description, "expected": AlertText.fixed(anomaly.explanation.expected ?? anomaly.baselineMean),
                "ratio": AlertText.fixed(anomaly.ratio),
            ]
            if let impact = anomaly.explanation.impact { annotations["impact"] = AlertText.fixed(impact) }
            if let z = anomaly.zScore { annotations["z_score"] = AlertText.fixed(z) }
            if let driver = anomaly.explanation.driver { annotations["driver"] = driver }
            if let rarity = anomaly.explanation.rarity {
                annotations["rarity"] = rarity.text
                annotations["rarity_days"] = String(rarity.days)
            }
            return Alert(
                labels: labels, annotations: annotations, startsAt: anomaly.detectedAt.formatted(.iso8601),
                fingerprint: Self.fingerprint(anomaly))
        }
        commonLabels = alerts.dropFirst().reduce(alerts.first?.labels ?? [:]) { common, alert in
            common.filter { alert.labels[$0.key] == $0.value }
        }
    }

    /// A stable id for one anomaly (domain, project, service, date): FNV-1a, 16 hex digits.
    static func fingerprint(_ anomaly: Anomaly) -> String {
        AnomalyID.fnv1a(AlertPolicy.fingerprint(anomaly))
    }
}
