/// The words and lines of the daily digest, shared by every channel that renders one.
public enum DigestText {
    public static let keyword = "[BILLING_DIGEST]"

    /// "The bill for 2026-11-24 was 1,234,567 KRW, 134,567 KRW (+12 %) above the usual 1,100,000 KRW."
    /// A day still running says so: "The bill for 2026-11-24 so far (58 % of the day) was ..., above
    /// the usual 638,000 KRW by this time of day."
    public static func sentence(_ digest: DailyDigest) -> String {
        let total = digest.total.expectAmount
        let partial = digest.accrued < 1
        let day = digest.date.iso + (partial ? " so far (\(AmountText.grouped(digest.accrued * 100, digits: 0)) % of the day)" : "")
        guard let usual = digest.usualTotal else {
            return "The bill for \(day) was \(AmountText.krw(total)); there is no earlier day to compare it with yet."
        }
        let change = total.doubleValue - usual
        let direction = change >= 0 ? "above" : "below"
        let percent = usual > 0 ? " (\(change >= 0 ? "+" : "-")\(AmountText.grouped(abs(change) / usual * 100, digits: 0)) %)" : ""
        return "The bill for \(day) was \(AmountText.krw(total)), \(AmountText.krw(abs(change)))\(percent) \(direction) the usual \(AmountText.krw(usual))"
            + (partial ? " by this time of day." : ".")
    }

    /// "Virtual Machine in payments: 420,000 KRW, usual 100,000 KRW (+320,000 KRW)"
    public static func moverLine(_ mover: DailyDigest.Mover) -> String {
        let service = mover.serviceName.isEmpty ? mover.key.serviceId : mover.serviceName
        let project = mover.projectName.isEmpty ? mover.key.projectId : mover.projectName
        let sign = mover.change >= 0 ? "+" : "-"
        return "\(service) in \(project): \(AmountText.krw(mover.amount)), usual \(AmountText.krw(mover.usual)) (\(sign)\(AmountText.krw(abs(mover.change))))"
    }

    /// "20261124-3f9a1c2b Virtual Machine in payments on 2026-11-24: +320,000 KRW"
    public static func openLine(_ anomaly: Anomaly) -> String {
        let service = anomaly.serviceName.isEmpty ? anomaly.key.serviceId : anomaly.serviceName
        let project = anomaly.projectName.isEmpty ? anomaly.key.projectId : anomaly.projectName
        let impact = anomaly.explanation.impact ?? (anomaly.observed.doubleValue - anomaly.baselineMean)
        return "\(anomaly.id) \(service) in \(project) on \(anomaly.date.iso): +\(AmountText.krw(impact))"
    }

    /// The console and syslog form: the tutorial-style total line, then a line per mover and open anomaly.
    public static func lines(_ digest: DailyDigest) -> [String] {
        var total = AlertText.dailyTotalLine(digest.total)
        if let usual = digest.usualTotal { total += " usual=\(AlertText.fixed(usual))" }
        total += " open=\(digest.openAnomalies.count) silenced=\(digest.silencedCount)"
        return [total]
            + digest.topMovers.enumerated().map { "\(keyword) \(digest.date.compact) mover \($0.offset + 1): \(moverLine($0.element))" }
            + digest.openAnomalies.map { "\(keyword) \(digest.date.compact) open: \(openLine($0))" }
    }
}
