/// What happened, in one sentence a finance person understands: the service, the amount, the expected
/// amount, and the increase in percent and money.
public enum AlertSentence {
    public static func of(_ anomaly: Anomaly) -> String {
        let service = anomaly.serviceName.isEmpty ? "Service \(anomaly.key.serviceId)" : anomaly.serviceName
        let project = anomaly.projectName.isEmpty ? anomaly.key.projectId : anomaly.projectName
        let when = anomaly.hour == Anomaly.wholeDay
            ? "on \(anomaly.date.iso)" : "on \(anomaly.date.iso) by \(AlertText.hourText(anomaly.hour)):00 KST"
        let expected = anomaly.explanation.expected ?? anomaly.baselineMean
        let increase = anomaly.explanation.impact ?? (anomaly.observed.doubleValue - expected)
        let percent = expected > 0 ? " (+\(AmountText.grouped(increase / expected * 100, digits: 0)) %)" : ""
        return "\(service) in project \(project) cost \(AmountText.krw(anomaly.observed)) \(when), "
            + "\(AmountText.krw(increase)) more than the expected \(AmountText.krw(expected))\(percent)."
            + (anomaly.explanation.rarity.map { " " + rarity($0) } ?? "")
    }

    /// The rarity as a sentence of its own: "A day this high comes about once in 40 days for it."
    public static func rarity(_ rarity: Rarity) -> String {
        rarity.isHighest
            ? "No day in the \(rarity.historyDays) before it cost as much, for it."
            : "A day this high comes about once in \(rarity.days) days for it."
    }
}
