/// One anomaly as people follow it: the latest record of its key and day (the daily job's whole-day
/// record over an hour's), with what people said of it and where it stands today.
public struct TrackedAnomaly: Sendable {
    public enum State: String, Sendable, CaseIterable {
        /// No verdict, no silence holding it back.
        case open
        /// Someone gave it a verdict.
        case acknowledged
        /// A silence active today matches it.
        case silenced
    }

    public var anomaly: Anomaly
    public var state: State
    public var verdict: AnomalyFeedback?

    public var id: AnomalyID { anomaly.id }

    /// The latest record of each anomaly, newest day first, then largest impact.
    public static func latest(
        _ anomalies: [Anomaly], feedback: [AnomalyFeedback], silences: [Silence], today: CalendarDay
    ) -> [TrackedAnomaly] {
        let verdicts = Dictionary(feedback.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        var latest: [AnomalyID: Anomaly] = [:]
        for anomaly in anomalies where (latest[anomaly.id]?.hour ?? -1) < anomaly.hour { latest[anomaly.id] = anomaly }
        return latest.values.map { anomaly in
            let verdict = verdicts[anomaly.id]
            let state: State = verdict != nil ? .acknowledged : Silence.silencing(anomaly, among: silences, on: today) != nil ? .silenced : .open
            return TrackedAnomaly(anomaly: anomaly, state: state, verdict: verdict)
        }.sorted { ($0.anomaly.date, $0.impact, $1.anomaly.key) > ($1.anomaly.date, $1.impact, $0.anomaly.key) }
    }

    /// How much more than expected it cost: the detector's figure, or the observed less the baseline mean.
    public var impact: Double {
        anomaly.explanation.impact ?? (anomaly.observed.doubleValue - anomaly.baselineMean)
    }

    /// What the detector expected the day (or the day so far) to cost.
    public var expected: Double {
        anomaly.explanation.expected ?? anomaly.baselineMean
    }

    /// "Compute in web (Acme)", names where known, else ids.
    public var title: String {
        anomaly.key.title(service: anomaly.serviceName, project: anomaly.projectName, domain: anomaly.domainName)
    }
}

extension CostKey {
    /// "Compute in web (Acme)": each name where known, else its id.
    public func title(service: String, project: String, domain: String) -> String {
        "\(service.isEmpty ? serviceId : service) in \(project.isEmpty ? projectId : project) (\(domain.isEmpty ? domainId : domain))"
    }
}
