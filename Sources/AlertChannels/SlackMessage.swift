import BillingCore
import Foundation

/// A Slack incoming-webhook payload: a plain-text fallback and Block Kit blocks with the tutorial's
/// fields for each anomaly.
struct SlackMessage: Encodable, Equatable {
    struct Text: Encodable, Equatable {
        var type = "mrkdwn"
        var text: String
    }

    struct Block: Encodable, Equatable {
        var type: String
        var text: Text?
        var fields: [Text]?
        var elements: [Text]?
    }

    /// Slack allows 50 blocks; two per anomaly plus the header and the tail line stay under it.
    static let maxAnomalies = 20

    var text: String
    var blocks: [Block]

    static func anomalies(_ anomalies: [Anomaly]) -> SlackMessage {
        let shown = anomalies.prefix(maxAnomalies)
        let headline = anomalies.count == 1
            ? ":rotating_light: Billing anomaly: \(AlertSentence.of(anomalies[0]))"
            : ":rotating_light: \(anomalies.count) billing anomalies, the first: \(AlertSentence.of(anomalies[0]))"
        var blocks = [Block(type: "section", text: Text(text: headline))]
        for anomaly in shown {
            blocks.append(Block(type: "divider"))
            blocks.append(Block(type: "section", fields: fields(anomaly)))
        }
        if anomalies.count > shown.count {
            blocks.append(
                Block(type: "context", elements: [Text(text: "and \(anomalies.count - shown.count) more; run `billing-alert anomalies` to see them all")]))
        }
        return SlackMessage(text: headline, blocks: blocks)
    }

    /// The daily digest: the total against the usual, the top movers and the anomalies still open.
    static func digest(_ digest: DailyDigest) -> SlackMessage {
        let headline = ":bar_chart: " + DigestText.sentence(digest)
        var blocks = [Block(type: "section", text: Text(text: headline))]
        if !digest.topMovers.isEmpty {
            let lines = digest.topMovers.map { "• " + DigestText.moverLine($0) }
            blocks.append(Block(type: "section", text: Text(text: "*Top movers*\n" + lines.joined(separator: "\n"))))
        }
        let open = digest.openAnomalies.prefix(maxAnomalies).map { "• " + DigestText.openLine($0) }
        let openTitle = "*Open anomalies: \(digest.openAnomalies.count)*" + (digest.silencedCount > 0 ? " (\(digest.silencedCount) more silenced)" : "")
        blocks.append(Block(type: "section", text: Text(text: ([openTitle] + open).joined(separator: "\n"))))
        if !digest.openAnomalies.isEmpty {
            blocks.append(Block(type: "context", elements: [Text(text: "Close one with `billing-alert ack ID --as planned|not-anomaly|real`")]))
        }
        return SlackMessage(text: headline, blocks: blocks)
    }

    static func fields(_ anomaly: Anomaly) -> [Text] {
        let hour = anomaly.hour == Anomaly.wholeDay ? "whole day" : String(format: "%02d:00 KST", anomaly.hour)
        return [
            Text(text: "*Date / hour*\n\(anomaly.date.iso) \(hour)"),
            Text(text: "*Domain*\n\(name(anomaly.domainName, anomaly.key.domainId)) (`\(anomaly.key.domainId)`)"),
            Text(text: "*Project*\n\(name(anomaly.projectName, anomaly.key.projectId)) (`\(anomaly.key.projectId)`)"),
            Text(text: "*Service*\n\(name(anomaly.serviceName, anomaly.key.serviceId)) (`\(anomaly.key.serviceId)`)"),
            Text(text: "*Observed*\n\(AmountText.krw(anomaly.observed))"),
            Text(text: "*Baseline mean*\n\(AmountText.krw(anomaly.baselineMean)) (std \(AmountText.grouped(anomaly.baselineStd)))"),
            Text(text: "*Z-score*\n\(anomaly.zScore.map { AlertText.fixed($0) } ?? "n/a") (threshold \(AlertText.fixed(anomaly.zScoreThreshold)))"),
            Text(text: "*Ratio*\n\(AlertText.fixed(anomaly.ratio))x (threshold \(AlertText.fixed(anomaly.ratioThreshold))x)"),
            Text(text: "*Anomaly id*\n`\(anomaly.id)`"),
        ] + (anomaly.explanation.driver.map { [Text(text: "*Driven by*\n\($0)")] } ?? [])
            + (anomaly.explanation.rarity.map { [Text(text: "*Rarity for this key*\n\($0.text)")] } ?? [])
    }

    private static func name(_ name: String, _ id: String) -> String {
        name.isEmpty ? id : name
    }
}
