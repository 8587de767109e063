import Foundation

/// The one-line texts that the console and syslog carry, and that Kakao Cloud's Alert Center matches
/// by their leading keyword.
public enum AlertText {
    public static let anomalyKeyword = "[BILLING_ANOMALY]"
    public static let dailyTotalKeyword = "[BILLING_DAILY_TOTAL]"

    public static func anomalyLine(_ anomaly: Anomaly) -> String {
        var fields = [
            anomalyKeyword,
            "date=\(anomaly.date.compact)",
            "hour=\(hourText(anomaly.hour))",
            "domain=\(quoted(anomaly.domainName))(\(anomaly.key.domainId))",
            "project=\(quoted(anomaly.projectName))(\(anomaly.key.projectId))",
            "service=\(quoted(anomaly.serviceName))(\(anomaly.key.serviceId))",
            "observed=\(anomaly.observed)",
            "mean=\(fixed(anomaly.baselineMean))",
            "std=\(fixed(anomaly.baselineStd))",
            "z=\(anomaly.zScore.map { fixed($0) } ?? "n/a")",
            "ratio=\(fixed(anomaly.ratio))",
        ]
        fields.append("thresholds=z>=\(fixed(anomaly.zScoreThreshold)),ratio>=\(fixed(anomaly.ratioThreshold))")
        if let impact = anomaly.explanation.impact { fields.append("impact=\(fixed(impact))") }
        fields.append("detector=\(anomaly.detector)")
        if let driver = anomaly.explanation.driver { fields.append("driver=\(quoted(driver))") }
        if let rarity = anomaly.explanation.rarity { fields.append("rarity=\(quoted(rarity.text))") }
        return fields.joined(separator: " ")
    }

    public static func dailyTotalLine(_ total: DailyTotal) -> String {
        [
            dailyTotalKeyword,
            "date=\(total.date.compact)",
            "total=\(total.expectAmount)",
            "keys=\(total.keyCount)",
            "rows=\(total.rowCount)",
            "anomalies=\(total.anomalyCount)",
        ].joined(separator: " ")
    }

    /// `14` for an hour of the day, `day` for the whole-day judgement.
    public static func hourText(_ hour: Int) -> String {
        hour == Anomaly.wholeDay ? "day" : String(format: "%02d", hour)
    }

    public static func fixed(_ value: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f", value)
    }

    private static func quoted(_ name: String) -> String {
        name.isEmpty ? "-" : name.contains(" ") ? "\"\(name)\"" : name
    }
}
