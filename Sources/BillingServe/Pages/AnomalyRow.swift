import BillingCore

/// One anomaly as the pages list it: the latest record of its key and day (the daily job's whole-day
/// record over an hour's), with what people said of it.
struct AnomalyRow: Sendable {
    enum State: String, Sendable, CaseIterable {
        /// No verdict, no silence holding it back.
        case open
        /// Someone gave it a verdict.
        case acknowledged
        /// A silence active today matches it.
        case silenced
    }

    var anomaly: Anomaly
    var state: State
    var verdict: AnomalyFeedback?

    var id: AnomalyID { anomaly.id }

    /// The latest record of each anomaly, newest day first, then largest impact.
    static func rows(_ anomalies: [Anomaly], feedback: [AnomalyFeedback], silences: [Silence], today: CalendarDay) -> [AnomalyRow] {
        let verdicts = Dictionary(feedback.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        var latest: [AnomalyID: Anomaly] = [:]
        for anomaly in anomalies where (latest[anomaly.id]?.hour ?? -1) < anomaly.hour { latest[anomaly.id] = anomaly }
        return latest.values.map { anomaly in
            let verdict = verdicts[anomaly.id]
            let state: State = verdict != nil ? .acknowledged : Silence.silencing(anomaly, among: silences, on: today) != nil ? .silenced : .open
            return AnomalyRow(anomaly: anomaly, state: state, verdict: verdict)
        }.sorted { ($0.anomaly.date, $0.impact) > ($1.anomaly.date, $1.impact) }
    }

    var impact: Double {
        anomaly.explanation.impact ?? (anomaly.observed.doubleValue - anomaly.baselineMean)
    }

    var expected: Double {
        anomaly.explanation.expected ?? anomaly.baselineMean
    }

    /// "Compute in web (Acme)", names where known, else ids.
    var title: String {
        Self.title(key: anomaly.key, service: anomaly.serviceName, project: anomaly.projectName, domain: anomaly.domainName)
    }

    static func title(key: CostKey, service: String, project: String, domain: String) -> String {
        "\(service.isEmpty ? key.serviceId : service) in \(project.isEmpty ? key.projectId : project) (\(domain.isEmpty ? key.domainId : domain))"
    }

    /// The key page's address.
    static func keyLink(_ key: CostKey, date: CalendarDay? = nil) -> String {
        var items = [("domain", key.domainId), ("project", key.projectId), ("service", key.serviceId)]
        if let date { items.append(("date", date.compact)) }
        return "/key?" + HTML.query(items)
    }
}
