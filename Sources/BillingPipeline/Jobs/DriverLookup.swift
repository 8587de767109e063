import BillingCore

/// Names what drove each anomaly, reading full rows only for the keys that turned out unusual.
struct DriverLookup {
    var store: any JobStore

    /// The anomalies with their drivers, from the week before each one's day.
    ///
    /// `accrued` is, per key, the share of a whole day its costs cover (1 when missing).
    func explain(_ anomalies: [Anomaly], costs: [DailyCost], accrued: [CostKey: Double] = [:]) async throws -> [Anomaly] {
        guard let day = anomalies.first?.date else { return anomalies }
        let recent = try await store.dailyCosts(of: anomalies.map(\.key), in: day.adding(days: -7)...day.adding(days: -1))
        // Only the unusual keys' costs: a table of every key's would hold the day twice.
        let unusual = Set(anomalies.lazy.map(\.key))
        let today = Dictionary(
            costs.lazy.filter { unusual.contains($0.key) }.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return anomalies.map { anomaly in
            var anomaly = anomaly
            if let cost = today[anomaly.key] {
                anomaly.explanation.driver = DriverFinder.driver(of: cost, history: recent, accrued: accrued[cost.key] ?? 1)
            }
            return anomaly
        }
    }
}
