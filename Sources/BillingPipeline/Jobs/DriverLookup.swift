import BillingCore

/// Names what drove each anomaly, reading full rows only for the keys that turned out unusual.
struct DriverLookup {
    var store: any JobStore

    /// The anomalies with their drivers, from the week before each one's day.
    func explain(_ anomalies: [Anomaly], costs: [DailyCost], accrued: (CostKey) -> Double = { _ in 1 }) async throws -> [Anomaly] {
        guard let day = anomalies.first?.date else { return anomalies }
        let recent = try await store.dailyCosts(of: anomalies.map(\.key), in: day.adding(days: -7)...day.adding(days: -1))
        let today = Dictionary(costs.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return anomalies.map { anomaly in
            var anomaly = anomaly
            if let cost = today[anomaly.key] {
                anomaly.explanation.driver = DriverFinder.driver(of: cost, history: recent, accrued: accrued(cost.key))
            }
            return anomaly
        }
    }
}
