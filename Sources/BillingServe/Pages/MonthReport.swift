import BillingApp
import BillingCore
import BillingPipeline
import Foundation

/// `billing-alert report --month YYYYMM`: one HTML file that stands alone (styles and charts inline,
/// no links out) with the month's spend against the month before, its days by service, its services'
/// totals and its anomalies, to mail or archive.
struct MonthReport {
    var month: (year: Int, month: Int)
    var overview: SpendOverview?
    var services: [(name: String, amount: ExactDecimal)]
    var anomalies: [TrackedAnomaly]

    static func read(_ store: any JobStore, year: Int, month: Int, today: CalendarDay) async throws -> MonthReport {
        guard let first = CalendarDay(year: year, month: month, day: 1),
            let last = CalendarDay(year: year, month: month, day: CalendarDay.daysIn(month: month, year: year))
        else { throw ReportError("\(year)\(month) is not a month; give YYYYMM, such as 202611") }
        let end = min(last, today.adding(days: -1))
        guard first <= end else { throw ReportError("\(first.iso.prefix(7)) has not begun a finished day yet (today is \(today.iso))") }
        // The month before too, for the comparison.
        let totals = try await store.serviceTotals(in: first.adding(days: -31)...end)
        let days = totals.filter { $0.date >= first }
        let through = days.map(\.date).max()
        var byService: [String: (name: String, amount: ExactDecimal)] = [:]
        for total in days {
            let name = total.serviceName.isEmpty ? total.serviceId : total.serviceName
            byService[total.serviceId] = (name, (byService[total.serviceId]?.amount ?? .zero) + total.amount)
        }
        let anomalies = TrackedAnomaly.latest(
            try await store.anomalies(in: first...last), feedback: try await store.feedback(in: first...last),
            silences: try await store.silences(), today: today)
        return MonthReport(
            month: (year, month), overview: through.map { SpendOverview(totals: totals, through: $0, chartDays: first.days(until: $0) + 1) },
            services: byService.values.sorted { $0.amount > $1.amount }, anomalies: anomalies)
    }

    var title: String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "Bill report, \(names[month.month - 1]) \(month.year)"
    }

    var html: String {
        guard let overview else {
            return HTML.page(title: title, section: nil, body: "<p class=\"empty\">No daily costs are stored for this month.</p>", standalone: true)
        }
        var note = ""
        if let change = overview.changeFromLastMonth {
            note = "<div class=\"note\"><span class=\"\(change > 0 ? "up" : "down")\">\(HTML.percentChange(change))</span> against the same days of the month before (\(HTML.amount(overview.lastMonthSameDays)) KRW)</div>"
        }
        let complete = overview.through.day == CalendarDay.daysIn(month: month.month, year: month.year)
        let forecast = !complete ? overview.forecast.map { forecast in
            "<div class=\"card\"><div class=\"label\">Month-end forecast</div><div class=\"value\">\(HTML.estimate(forecast.expected)) KRW</div><div class=\"note\">likely between \(HTML.estimate(forecast.low)) and \(HTML.estimate(forecast.high))</div></div>"
        } ?? "" : ""
        let total = services.reduce(ExactDecimal.zero) { $0 + $1.amount }
        let serviceRows = services.map { service -> String in
            let share = total > .zero ? service.amount.doubleValue / total.doubleValue * 100 : 0
            return "<tr><td>\(HTML.escape(service.name))</td><td class=\"num\">\(HTML.amount(service.amount))</td><td class=\"num\">\(String(format: "%.1f %%", share))</td></tr>"
        }.joined()
        let body = """
            <p class="note">Made by billing-alert from the stored daily costs, \(overview.days.first?.date.iso ?? "") to \(overview.through.iso)\(complete ? "" : " (the month is not over)").</p>
            <div class="cards"><div class="card"><div class="label">\(complete ? "The month" : "The month so far")</div>\
            <div class="value" id="month-total">\(HTML.amount(overview.monthToDate)) KRW</div>\(note)</div>\(forecast)\
            <div class="card"><div class="label">Anomalies</div><div class="value">\(anomalies.count)</div></div></div>
            <h2>Daily cost by service (KRW)</h2>
            <div class="panel">\(Chart.stackedBars(overview.days, series: overview.services, label: "Daily cost by service in \(title)"))</div>
            <h2>Services</h2>
            <div class="panel"><table><thead><tr><th>service</th><th class="num">KRW</th><th class="num">share</th></tr></thead><tbody>\(serviceRows)\
            <tr><th>total</th><th class="num">\(HTML.amount(total))</th><th></th></tr></tbody></table></div>
            <h2>Anomalies</h2>
            <div class="panel">\(AnomaliesPage.table(anomalies, access: nil, emptyText: "No anomaly this month.", links: false))</div>
            """
        return HTML.page(title: title, section: nil, body: body, standalone: true)
    }
}

struct ReportError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension BillingServer {
    /// The month's report as one HTML file's text.
    public static func monthReport(_ app: BillingApp, year: Int, month: Int, now: Date) async throws -> String {
        let today = app.today(now).day
        return try await app.withStore { try await MonthReport.read($0, year: year, month: month, today: today) }.html
    }
}
