import BillingApp
import BillingCore
import BillingPipeline
import Foundation

/// Every anomaly in a date range, filtered by domain, project, service and state.
struct AnomaliesPage {
    struct Filter: Sendable {
        var days: ClosedRange<CalendarDay>
        /// Each matches an id exactly or a name in part, ignoring case; empty matches all.
        var domain = ""
        var project = ""
        var service = ""
        var state: TrackedAnomaly.State?

        func matches(_ row: TrackedAnomaly) -> Bool {
            let anomaly = row.anomaly
            let keys = KeyFilter(domain: .containing(domain), project: .containing(project), service: .containing(service))
            return keys.matches(anomaly.key, domainName: anomaly.domainName, projectName: anomaly.projectName, serviceName: anomaly.serviceName)
                && (state == nil || row.state == state)
        }
    }

    var filter: Filter
    var rows: [TrackedAnomaly]

    static func read(_ store: any JobStore, filter: Filter, today: CalendarDay) async throws -> AnomaliesPage {
        let rows = TrackedAnomaly.latest(
            try await store.anomalies(in: filter.days), feedback: try await store.feedback(in: filter.days), silences: try await store.silences(),
            today: today)
        return AnomaliesPage(filter: filter, rows: rows.filter(filter.matches))
    }

    func html(_ access: WriteAccess) -> String {
        func field(_ name: String, _ label: String, _ value: String, _ type: String = "text") -> String {
            "<label>\(label)<input type=\"\(type)\" name=\"\(name)\" value=\"\(HTML.escape(value))\"></label>"
        }
        let states = [("", "any")] + TrackedAnomaly.State.allCases.map { ($0.rawValue, $0.rawValue) }
        let options = states.map { value, label in
            "<option value=\"\(value)\"\(value == (filter.state?.rawValue ?? "") ? " selected" : "")>\(label)</option>"
        }.joined()
        let form = """
            <form class="filters" method="get" action="/anomalies">\
            \(field("from", "from", filter.days.lowerBound.compact))\(field("to", "to", filter.days.upperBound.compact))\
            \(field("domain", "domain", filter.domain))\(field("project", "project", filter.project))\(field("service", "service", filter.service))\
            <label>state<select name="state">\(options)</select></label><button type="submit">Show</button></form>
            """
        let summary = "<p class=\"note\">\(rows.count) anomal\(rows.count == 1 ? "y" : "ies") from \(filter.days.lowerBound.iso) to \(filter.days.upperBound.iso).</p>"
        return HTML.page(
            title: "Anomalies", section: .anomalies,
            body: form + summary + "<div class=\"panel\">" + Self.table(rows, access: access, emptyText: "No anomaly matches these filters.") + "</div>")
    }

    /// The anomalies as a table, with a sentence instead when there are none.
    /// Keys link to their pages unless the table goes in a file that stands alone (`links` false).
    static func table(_ rows: [TrackedAnomaly], access: WriteAccess?, emptyText: String, links: Bool = true) -> String {
        let writes = access?.allowsWrites ?? false
        guard !rows.isEmpty else { return "<p class=\"empty\">\(HTML.escape(emptyText))</p>" }
        let body = rows.map { row in
            let anomaly = row.anomaly
            let when = anomaly.hour == 24 ? anomaly.date.iso : "\(anomaly.date.iso) \(String(format: "%02d", anomaly.hour)):xx"
            let verdict = row.verdict.map { " (\($0.verdict.rawValue)\($0.note.map { ": " + $0 } ?? ""))" } ?? ""
            return """
                <tr class="anomaly" data-id="\(row.id)"><td class="when">\(when)</td>\
                <td>\(links ? "<a href=\"\(HTML.keyLink(anomaly.key, date: anomaly.date))\">\(HTML.escape(row.title))</a>" : HTML.escape(row.title))</td>\
                <td class="num">\(HTML.amount(anomaly.observed))</td><td class="num">\(HTML.estimate(row.expected))</td>\
                <td class="num">\(row.impact >= 0 ? "+" : "")\(HTML.estimate(row.impact))</td>\
                <td class="hide-narrow">\(HTML.escape(anomaly.explanation.rarity?.text ?? ""))</td>\
                <td class="hide-narrow">\(HTML.escape(anomaly.explanation.driver ?? ""))</td>\
                <td><span class="state \(row.state.rawValue)">\(row.state.rawValue)</span>\(HTML.escape(verdict))</td>\
                <td class="hide-narrow"><code>\(row.id)</code></td>\(writes ? "<td>\(actions(row, access))</td>" : "")</tr>
                """
        }.joined()
        return """
            <table><thead><tr><th>day</th><th>key</th><th class="num">observed</th><th class="num">expected</th><th class="num">impact</th>\
            <th class="hide-narrow">rarity</th><th class="hide-narrow">driver</th><th>state</th><th class="hide-narrow">id</th>\(writes ? "<th>act</th>" : "")</tr></thead>\
            <tbody>\(body)</tbody></table>
            """
    }

    /// A verdict form and a link to make a silence, folded away until opened.
    static func actions(_ row: TrackedAnomaly, _ access: WriteAccess?) -> String {
        let options = AnomalyFeedback.Verdict.allCases.map { "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>" }.joined()
        return """
            <details><summary>act</summary><form class="ack" method="post" action="/anomalies/\(row.id)/ack">\(access?.formFields ?? "")\
            <label>verdict<select name="verdict">\(options)</select></label><label>note<input name="note" value="\(HTML.escape(row.verdict?.note ?? ""))"></label>\
            <button type="submit">Save verdict</button></form><a class="silence" href="/anomalies/\(row.id)/silence">Silence alerts like this…</a></details>
            """
    }
}
