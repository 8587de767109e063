import BillingApp
import BillingCore
import BillingPipeline
import Foundation

/// One (domain, project, service): its daily cost against the range the detector called normal, its
/// anomalies, its baseline, and what its cost was made of on a chosen day.
struct KeyPage {
    struct Point {
        var date: CalendarDay
        var observed: Double
        var low: Double?
        var high: Double?
        var anomaly: Bool
    }

    var key: CostKey
    var title: String
    var points: [Point]
    var anomalies: [TrackedAnomaly]
    var baseline: Baseline?
    var day: CalendarDay
    var parts: [DailyCost.Part]
    var partsBefore: [DailyCost.Part]

    static let chartDays = 90

    static func read(
        _ store: any JobStore, key: CostKey, day wanted: CalendarDay?, detector: AnomalyDetector, today: CalendarDay
    ) async throws -> KeyPage {
        // The chart runs from the key's first cost (at most 90 days back) to its last finished day.
        let yesterday = today.adding(days: -1)
        let costs = try await store.dailyCosts(of: [key], in: yesterday.adding(days: -(chartDays - 1 + detector.historyDays))...yesterday)
        let last = costs.last?.date ?? yesterday
        let first = max(last.adding(days: -(chartDays - 1)), costs.first?.date ?? last)
        let history = CostHistory(costs)
        let found = TrackedAnomaly.latest(
            try await store.anomalies(in: first...today).filter { $0.key == key }, feedback: try await store.feedback(in: first...today),
            silences: try await store.silences(), today: today)
        let anomalous = Set(found.map(\.anomaly.date))
        let byDay = Dictionary(costs.map { ($0.date, $0) }, uniquingKeysWith: { _, last in last })
        let points = (0...first.days(until: last)).map { offset -> Point in
            let date = first.adding(days: offset)
            let observed = byDay[date]?.expectAmount.doubleValue ?? 0
            let range = normalRange(on: date, observed: observed, history: history, key: key, detector: detector)
            return Point(date: date, observed: observed, low: range?.low, high: range?.high, anomaly: anomalous.contains(date))
        }
        let named = costs.last
        let day = wanted ?? last
        return KeyPage(
            key: key,
            title: key.title(service: named?.serviceName ?? "", project: named?.projectName ?? "", domain: named?.domainName ?? ""),
            points: points, anomalies: found, baseline: try await store.baseline(of: key), day: day,
            parts: byDay[day]?.parts ?? [], partsBefore: byDay[day.adding(days: -1)]?.parts ?? [])
    }

    /// The range the configured detector called normal for `date`, judged by the days before it.
    static func normalRange(
        on date: CalendarDay, observed: Double, history: CostHistory, key: CostKey, detector: AnomalyDetector
    ) -> (low: Double, high: Double)? {
        let before = history.before(date, of: key)
        switch detector {
        case .seasonal(let seasonal):
            let assessment = seasonal.assess(observed: observed, on: date, history: DailySeries(costs: before, through: date.adding(days: -1)))
            guard let low = assessment.low, let high = assessment.high else { return nil }
            return (low, high)
        case .classic(let classic, let calculator):
            let window = before.filter { $0.day >= date.adding(days: -calculator.windowDays) }.map(\.amount)
            guard window.count >= classic.thresholds.minSamples, let statistics = SampleStatistics(window) else { return nil }
            return (max(0, statistics.mean - classic.thresholds.zScore * statistics.std), statistics.mean + classic.thresholds.zScore * statistics.std)
        }
    }

    func html(_ access: WriteAccess) -> String {
        let chart = Chart.series(
            points.map { ($0.date, $0.observed, $0.low, $0.high, $0.anomaly) },
            label: "Daily cost of \(title) over \(points.count) days, with the normal range and anomalies")
        let baselineText = baseline.map { baseline in
            """
            <table><tbody><tr><th>mean</th><td class="num">\(HTML.estimate(baseline.mean))</td><th>std</th><td class="num">\(HTML.estimate(baseline.std))</td></tr>\
            <tr><th>median</th><td class="num">\(HTML.estimate(baseline.p50))</td><th>p95</th><td class="num">\(HTML.estimate(baseline.p95))</td></tr>\
            <tr><th>days</th><td class="num">\(baseline.sampleCount)</td><th>window</th><td>\(baseline.windowStart.iso) to \(baseline.windowEnd.iso)</td></tr></tbody></table>
            """
        } ?? "<p class=\"empty\">No baseline for this key yet.</p>"
        return HTML.page(
            title: title, section: nil,
            body: """
                <p class="note"><code>\(HTML.escape(key.description))</code></p>
                <h2>Daily cost (KRW), the normal range and anomalies</h2>
                <div class="panel">\(chart)<div class="legend"><span><i style="background:#1d2330"></i>cost</span>\
                <span><i style="background:#2457c5;opacity:.3"></i>normal range</span><span><i style="background:#b3261e"></i>anomaly</span></div></div>
                <h2>What it was made of on \(day.iso)</h2>
                <form class="filters" method="get" action="/key"><input type="hidden" name="domain" value="\(HTML.escape(key.domainId))">\
                <input type="hidden" name="project" value="\(HTML.escape(key.projectId))"><input type="hidden" name="service" value="\(HTML.escape(key.serviceId))">\
                <label>day<input name="date" value="\(day.compact)"></label><button type="submit">Show</button></form>
                <div class="panel">\(drivers)</div>
                <h2>Anomalies</h2><div class="panel">\(AnomaliesPage.table(anomalies, access: access, emptyText: "No anomaly in these \(points.count) days."))</div>
                <h2>Baseline (the tutorial's statistics)</h2><div class="panel">\(baselineText)</div>
                """)
    }

    /// Each pricing type and region's cost on the day and the day before, largest change first.
    private var drivers: String {
        // Each part by its label ("ON_DEMAND in kr-central-2"), as the anomalies' drivers name it.
        func sums(_ parts: [DailyCost.Part]) -> [String: ExactDecimal] {
            Dictionary(parts.map { ($0.label, $0.expectAmount) }, uniquingKeysWith: +)
        }
        let (now, before) = (sums(parts), sums(partsBefore))
        let lines = Set(now.keys).union(before.keys).map { (name: $0, amount: now[$0] ?? .zero, before: before[$0] ?? .zero) }
        guard !lines.isEmpty else { return "<p class=\"empty\">No cost stored for this key on \(day.iso).</p>" }
        let rows = lines.sorted { (abs(($0.amount - $0.before).doubleValue), $1.name) > (abs(($1.amount - $1.before).doubleValue), $0.name) }
            .map { line -> String in
            let change = line.amount - line.before
            return "<tr><td>\(HTML.escape(line.name))</td><td class=\"num\">\(HTML.amount(line.amount))</td><td class=\"num\">\(HTML.amount(line.before))</td><td class=\"num \(change > .zero ? "up" : "down")\">\(change > .zero ? "+" : "")\(HTML.amount(change))</td></tr>"
        }.joined()
        return "<table><thead><tr><th>pricing type in region</th><th class=\"num\">\(day.iso)</th><th class=\"num\">the day before</th><th class=\"num\">change</th></tr></thead><tbody>\(rows)</tbody></table>"
    }
}
