import BillingApp
import BillingCore
import BillingPipeline
import Foundation

/// How the jobs are doing: the days each job finished, this process's scheduled runs, days waiting for
/// the archive, deliveries owed or failed per channel, and the silences.
struct OperationsPage {
    var runs: [JobRun]
    var recent: [RunMonitor.Entry]
    var spooled: [String]
    var deliveries: [Delivery]
    var silences: [Silence]
    var today: CalendarDay

    static func read(_ store: any JobStore, app: BillingApp, monitor: RunMonitor, today: CalendarDay) async throws -> OperationsPage {
        OperationsPage(
            runs: try await store.jobRuns(in: today.adding(days: -13)...today).sorted { $0.finishedAt > $1.finishedAt },
            recent: monitor.entries, spooled: app.spooledDays(), deliveries: try await store.deliveries(in: today.adding(days: -6)...today),
            silences: try await store.silences(), today: today)
    }

    var html: String {
        let stored = runs.isEmpty
            ? "<p class=\"empty\">No job has finished a day in the last 14 days.</p>"
            : "<table><thead><tr><th>job</th><th>day</th><th class=\"num\">rows</th><th class=\"num\">keys</th><th>finished</th></tr></thead><tbody>"
                + runs.map { run in
                    "<tr class=\"run\"><td>\(run.job.rawValue)</td><td>\(run.date.iso)</td><td class=\"num\">\(run.rowCount)</td><td class=\"num\">\(run.keyCount)</td><td>\(run.finishedAt.formatted(.iso8601))</td></tr>"
                }.joined() + "</tbody></table>"
        let scheduled = recent.isEmpty
            ? "<p class=\"empty\">This process has not run a job yet (or leaves them to cron).</p>"
            : "<table><thead><tr><th>job</th><th>day</th><th>outcome</th><th class=\"num\">seconds</th><th class=\"num\">rows</th><th>finished</th></tr></thead><tbody>"
                + recent.map { entry in
                    "<tr><td>\(entry.run.job.rawValue)</td><td>\(entry.run.day.iso)</td><td>\(entry.outcome.rawValue)</td><td class=\"num\">\(String(format: "%.1f", entry.seconds))</td><td class=\"num\">\(entry.rows)</td><td>\(entry.finishedAt.formatted(.iso8601))</td></tr>"
                }.joined() + "</tbody></table>"
        let spool = spooled.isEmpty
            ? "<p class=\"empty\">No day is waiting for the archive.</p>"
            : "<p>\(spooled.count) day(s) wait in the spool; the next daily run uploads them:</p><ul>" + spooled.map { "<li><code>\(HTML.escape($0))</code></li>" }.joined() + "</ul>"
        let channels = Set(deliveries.map(\.channel)).sorted()
        let owed: [Delivery.Status] = [.pending, .failed, .rejected]
        let outbox: String
        if channels.isEmpty {
            outbox = "<p class=\"empty\">No delivery in the last 7 days.</p>"
        } else {
            let header = Delivery.Status.allCases.map { "<th class=\"num\">\($0.rawValue)</th>" }.joined()
            let rows = channels.map { channel -> String in
                let cells = Delivery.Status.allCases.map { status -> String in
                    let count = deliveries.count { $0.channel == channel && $0.status == status }
                    let flagged = owed.contains(status) && count > 0
                    return "<td class=\"num\(flagged ? " up" : "")\">\(count)</td>"
                }
                return "<tr><td>\(HTML.escape(channel))</td>" + cells.joined() + "</tr>"
            }
            outbox = "<table><thead><tr><th>channel</th>\(header)</tr></thead><tbody>" + rows.joined() + "</tbody></table>"
        }
        let silenceTable = silences.isEmpty
            ? "<p class=\"empty\">No silences.</p>"
            : "<table><thead><tr><th>id</th><th>match</th><th>until</th><th>state</th><th>reason</th></tr></thead><tbody>"
                + silences.map { silence in
                    "<tr><td><code>\(HTML.escape(silence.id))</code></td><td><code>\(HTML.escape(silence.matchText))</code></td><td>\(silence.until.iso)</td><td>\(silence.isActive(on: today) ? "active" : "expired")</td><td>\(HTML.escape(silence.reason))</td></tr>"
                }.joined() + "</tbody></table>"
        return HTML.page(
            title: "Operations", section: .operations,
            body: """
                <h2>Days each job finished (last 14 days)</h2><div class="panel">\(stored)</div>
                <h2>Runs by this process</h2><div class="panel">\(scheduled)</div>
                <h2>Archive spool</h2><div class="panel">\(spool)</div>
                <h2>Deliveries of the last 7 days' anomalies</h2><div class="panel">\(outbox)</div>
                <h2>Silences</h2><div class="panel">\(silenceTable)</div>
                """)
    }
}
