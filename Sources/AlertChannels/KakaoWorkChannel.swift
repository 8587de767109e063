import AsyncHTTPClient
import HTTPTransport
import BillingCore
import BillingPipeline
import Foundation

/// Posts anomalies to a KakaoWork incoming webhook: always `text`, plus blocks for the numbers.
/// The webhook URL is a secret: it never appears in errors or logs.
public struct KakaoWorkChannel: AlertChannel {
    public let name = ChannelName.kakaowork.rawValue
    let poster: WebhookPoster

    public init(webhookURL: String, httpClient: HTTPClient = HTTPTransport.client, timeout: Duration = .seconds(10)) {
        poster = WebhookPoster(service: "KakaoWork", url: webhookURL, configKey: "alert.kakaoWorkWebhookUrl", httpClient: httpClient, timeout: timeout)
    }

    public func send(_ message: AlertMessage) async throws {
        switch message {
        case .anomalies(let anomalies) where !anomalies.isEmpty:
            try await poster.post(JSONEncoder().encode(KakaoWorkMessage(anomalies)))
        case .digest(let digest):
            try await poster.post(JSONEncoder().encode(KakaoWorkMessage(digest: digest)))
        case .anomalies:
            return
        }
    }
    /// Asks the webhook's address with a GET, which posts nothing; see `WebhookPoster.probeWithoutPosting`.
    public func checkReachable() async throws -> String {
        try await poster.probeWithoutPosting()
    }
}

/// `{"text": ..., "blocks": [...]}` with KakaoWork's header, text and description blocks.
struct KakaoWorkMessage: Encodable {
    struct Block: Encodable {
        var type: String
        var text: String?
        var style: String?
        var markdown: Bool?
        var term: String?
        var content: Content?
        var accent: Bool?
    }

    struct Content: Encodable {
        var type = "text"
        var text: String
    }

    static let maxAnomalies = 10

    var text: String
    var blocks: [Block]

    init(_ anomalies: [Anomaly]) {
        text = anomalies.count == 1
            ? "Billing anomaly: " + AlertSentence.of(anomalies[0])
            : "\(anomalies.count) billing anomalies. " + AlertSentence.of(anomalies[0])
        var blocks = [Block(type: "header", text: anomalies.count == 1 ? "Billing anomaly" : "\(anomalies.count) billing anomalies", style: "red")]
        for anomaly in anomalies.prefix(Self.maxAnomalies) {
            blocks.append(Block(type: "text", text: AlertSentence.of(anomaly), markdown: false))
            let z = anomaly.zScore.map { AlertText.fixed($0) } ?? "n/a"
            let rarity = anomaly.explanation.rarity.map { [("Rarity", $0.text)] } ?? []
            for (term, value) in rarity + [
                ("Service", "\(anomaly.serviceName) (\(anomaly.key.serviceId))"),
                ("Project", "\(anomaly.projectName) (\(anomaly.key.projectId))"),
                ("Observed", AmountText.krw(anomaly.observed)),
                ("Usual", AmountText.krw(anomaly.explanation.expected ?? anomaly.baselineMean)),
                ("z / ratio", "\(z) / \(AlertText.fixed(anomaly.ratio))x"),
                ("Id", anomaly.id.description),
            ] {
                blocks.append(Block(type: "description", term: term, content: Content(text: value), accent: true))
            }
        }
        if anomalies.count > Self.maxAnomalies {
            blocks.append(Block(type: "text", text: "and \(anomalies.count - Self.maxAnomalies) more: billing-alert anomalies", markdown: false))
        }
        self.blocks = blocks
    }

    init(digest: DailyDigest) {
        text = DigestText.sentence(digest)
        var blocks = [
            Block(type: "header", text: "Billing digest for \(digest.date.iso)", style: "blue"),
            Block(type: "text", text: text, markdown: false),
        ]
        for mover in digest.topMovers {
            blocks.append(Block(type: "text", text: DigestText.moverLine(mover), markdown: false))
        }
        blocks.append(Block(type: "text", text: "Open anomalies: \(digest.openAnomalies.count)", markdown: false))
        for anomaly in digest.openAnomalies.prefix(Self.maxAnomalies) {
            blocks.append(Block(type: "text", text: DigestText.openLine(anomaly), markdown: false))
        }
        self.blocks = blocks
    }
}
