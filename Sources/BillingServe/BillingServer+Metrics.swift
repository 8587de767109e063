import BillingApp
import BillingCore
import BillingPipeline
import Foundation

extension BillingServer {
    /// `/metrics`: the runs `serve` made, and what the store holds now (open anomalies, deliveries owed
    /// or failed per channel), read at each scrape.
    func metricsText() async -> String {
        let registry = monitor.registry
        let now = clock.now
        let today = app.today(now).day
        let week = today.adding(days: -6)...today
        let storeUp = registry.makeGauge(descriptor: RunMonitor.name("store_up", help: "1 when the store answered this scrape, else 0."))
        do {
            let (open, deliveries) = try await app.withStore { store in
                (try await OverviewPage.openAnomalies(store, today: today).count, try await store.deliveries(in: week))
            }
            registry.makeGauge(
                descriptor: RunMonitor.name("open_anomalies", help: "Anomalies of the last 7 days with no verdict and no silence holding them back.")
            ).set(Double(open))
            let channels = monitor.channels(adding: deliveries.map(\.channel))
            for channel in channels {
                for status in [Delivery.Status.pending, .failed] {
                    registry.makeGauge(
                        descriptor: RunMonitor.name(
                            "deliveries", help: "Deliveries of the last 7 days' anomalies still owed (pending) or failed, per channel."),
                        labels: [("channel", channel), ("status", status.rawValue)]
                    ).set(Double(deliveries.count { $0.channel == channel && $0.status == status }))
                }
            }
            storeUp.set(1.0)
        } catch {
            storeUp.set(0.0)
        }
        registry.makeGauge(
            descriptor: RunMonitor.name("spool_days_waiting", help: "Raw days waiting in the local spool for the archive.")
        ).set(Double(app.spooledDays().count))
        return registry.emitToString()
    }
}
