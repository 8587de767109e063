import BillingApp
import BillingCore
import BillingPipeline
import Foundation

/// The overview: this month against the last, where it is heading, the last 90 days by service, the
/// keys that moved most on the last day, and the anomalies nobody has answered.
struct OverviewPage {
    var overview: SpendOverview?
    var movers: [DailyDigest.Mover]
    var open: [TrackedAnomaly]

    /// Reads what the page shows; `today` is the configured time zone's.
    static func read(_ store: any JobStore, today: CalendarDay) async throws -> OverviewPage {
        let totals = try await store.serviceTotals(in: today.adding(days: -100)...today.adding(days: -1))
        guard let through = totals.map(\.date).max() else { return OverviewPage(overview: nil, movers: [], open: try await openAnomalies(store, today: today)) }
        return OverviewPage(
            overview: SpendOverview(totals: totals, through: through), movers: try await movers(store, on: through),
            open: try await openAnomalies(store, today: today))
    }

    /// The day's movers as the daily job kept them, or found from the amounts for a day stored before
    /// it kept them. A key without a cost that day is named after its latest day before.
    static func movers(_ store: any JobStore, on day: CalendarDay) async throws -> [DailyDigest.Mover] {
        var movers = try await store.movers(on: day)
        if movers.isEmpty {
            let history = try await store.costHistory(in: day.adding(days: -DailyDigest.usualDays)...day)
            movers = DailyDigest.moves(on: day, today: history.amounts(on: day), history: history, top: DailyDigest.keptMovers).map {
                DailyDigest.Mover(key: $0.key, domainName: "", projectName: "", serviceName: "", amount: .zero, usual: $0.usual)
            }
        }
        let unnamed = movers.filter { $0.serviceName.isEmpty }.map(\.key)
        guard !unnamed.isEmpty else { return movers }
        var latest: [CostKey: DailyCost] = [:]
        for cost in try await store.dailyCosts(of: unnamed, in: day.adding(days: -DailyDigest.usualDays)...day) { latest[cost.key] = cost }
        for index in movers.indices where movers[index].serviceName.isEmpty {
            guard let cost = latest[movers[index].key] else { continue }
            movers[index].domainName = cost.domainName
            movers[index].projectName = cost.projectName
            movers[index].serviceName = cost.serviceName
            if cost.date == day { movers[index].amount = cost.expectAmount }
        }
        return movers
    }

    static func openAnomalies(_ store: any JobStore, today: CalendarDay) async throws -> [TrackedAnomaly] {
        try await BillingApp.recentAnomalies(store, today: today).filter { $0.state == .open }
    }

    func html(_ access: WriteAccess) -> String {
        guard let overview else {
            return HTML.page(
                title: "Overview", section: .overview,
                body: "<p class=\"empty\">No daily costs are stored yet. Run <code>billing-alert daily</code> (or let <code>serve</code> run it), or <code>billing-alert demo</code> for sample data.</p>"
                    + openSection(access))
        }
        let monthStart = CalendarDay(year: overview.through.year, month: overview.through.month, day: 1) ?? overview.through
        var cards = """
            <div class="card"><div class="label">This month so far (\(monthStart.iso) to \(overview.through.iso))</div>\
            <div class="value" id="month-to-date">\(HTML.amount(overview.monthToDate)) KRW</div>
            """
        if let change = overview.changeFromLastMonth {
            cards += "<div class=\"note\"><span class=\"\(change > 0 ? "up" : "down")\">\(HTML.percentChange(change))</span> against the same days of last month (\(HTML.amount(overview.lastMonthSameDays)) KRW)</div>"
        } else if overview.lastMonthDaysWithCost > 0 {
            cards += "<div class=\"note\">Last month has costs stored on only \(overview.lastMonthDaysWithCost) of these \(overview.monthDaysWithCost) days (\(HTML.amount(overview.lastMonthSameDays)) KRW); backfill it to compare.</div>"
        }
        cards += "</div>"
        if let forecast = overview.forecast {
            cards += """
                <div class="card"><div class="label">Month-end forecast</div><div class="value">\(HTML.estimate(forecast.expected)) KRW</div>\
                <div class="note">likely between \(HTML.estimate(forecast.low)) and \(HTML.estimate(forecast.high)); \(forecast.daysLeft) day(s) left at a typical day's cost</div></div>
                """
        }
        cards += "<div class=\"card\"><div class=\"label\">Open anomalies (last 7 days)</div><div class=\"value\">\(open.count)</div><div class=\"note\"><a href=\"/anomalies?state=open\">see them</a></div></div>"
        let chart = Chart.stackedBars(
            overview.days, series: overview.services, label: "Daily cost by service, the \(overview.days.count) days to \(overview.through.iso)")
        let moverRows = movers.map { mover -> String in
            let title = mover.key.title(service: mover.serviceName, project: mover.projectName, domain: mover.domainName)
            return "<tr><td><a href=\"\(HTML.keyLink(mover.key, date: overview.through))\">\(HTML.escape(title))</a></td><td class=\"num\">\(HTML.amount(mover.amount))</td><td class=\"num\">\(HTML.estimate(mover.usual))</td><td class=\"num \(mover.change > 0 ? "up" : "down")\">\(mover.change > 0 ? "+" : "")\(HTML.estimate(mover.change))</td></tr>"
        }.joined()
        let body = """
            <div class="cards">\(cards)</div>
            <h2>Daily cost by service (KRW)</h2>
            <div class="panel">\(chart)</div>
            <h2>Top movers on \(overview.through.iso)</h2>
            <div class="panel"><table><thead><tr><th>key</th><th class="num">that day</th><th class="num">usual (median of the 7 days before)</th><th class="num">change</th></tr></thead>\
            <tbody>\(moverRows)</tbody></table></div>
            \(openSection(access))
            """
        return HTML.page(title: "Overview", section: .overview, body: body)
    }

    private func openSection(_ access: WriteAccess) -> String {
        "<h2>Open anomalies</h2><div class=\"panel\">" + AnomaliesPage.table(open, access: access, emptyText: "No open anomalies in the last 7 days.") + "</div>"
    }
}
