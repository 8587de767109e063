import BillingCore
import Foundation

/// Charts drawn as inline SVG on the server: no script, no network, readable when saved. Each mark
/// carries a `<title>` (the browser's tooltip) with its exact figure.
enum Chart {
    static let width = 960.0
    static let height = 280.0
    static let left = 78.0
    static let right = 10.0
    static let top = 10.0
    static let bottom = 26.0

    /// One bar per day, stacked by series, with a legend.
    static func stackedBars(_ days: [SpendOverview.Day], series: [String], label: String) -> String {
        let totals = days.map { $0.total.doubleValue }
        let scale = axis(max: totals.max() ?? 0)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let slot = plotWidth / Double(max(days.count, 1))
        var marks = ""
        for (index, day) in days.enumerated() {
            var base = 0.0
            let x = left + Double(index) * slot
            for (position, amount) in day.amounts.enumerated() where amount > .zero {
                let value = amount.doubleValue
                let y0 = top + plotHeight * (1 - base / scale.max)
                let y1 = top + plotHeight * (1 - (base + value) / scale.max)
                base += value
                marks += "<rect class=\"bar\" data-date=\"\(day.date.compact)\" x=\"\(f(x + 0.5))\" y=\"\(f(y1))\" width=\"\(f(max(slot - 1, 0.5)))\" height=\"\(f(max(y0 - y1, 0.5)))\" fill=\"\(color(position))\">"
                marks += "<title>\(day.date.iso) · \(HTML.escape(series[position])): \(HTML.amount(amount))</title></rect>"
            }
        }
        let legend = series.enumerated().map { "<span><i style=\"background:\(color($0.offset))\"></i>\(HTML.escape($0.element))</span>" }.joined()
        return svg(label: label, grid: grid(scale, dates: days.map(\.date), slot: slot), marks: marks) + "<div class=\"legend\">\(legend)</div>"
    }

    /// A key's daily cost as a line, its normal range as a band, and its anomalies as red dots.
    static func series(_ points: [(date: CalendarDay, observed: Double, low: Double?, high: Double?, anomaly: Bool)], label: String) -> String {
        let scale = axis(max: points.map { max($0.observed, $0.high ?? 0) }.max() ?? 0)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let slot = plotWidth / Double(max(points.count, 1))
        func x(_ index: Int) -> Double { left + (Double(index) + 0.5) * slot }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / scale.max) }
        var marks = ""
        // The band, drawn as one polygon per run of days that have one.
        var run: [(Int, Double, Double)] = []
        func flush() {
            guard run.count > 1 else { run = []; return }
            let upper = run.map { "\(f(x($0.0))),\(f(y($0.2)))" }
            let lower = run.reversed().map { "\(f(x($0.0))),\(f(y($0.1)))" }
            marks += "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" fill=\"#2457c5\" fill-opacity=\"0.13\"/>"
            run = []
        }
        for (index, point) in points.enumerated() {
            if let low = point.low, let high = point.high { run.append((index, low, high)) } else { flush() }
        }
        flush()
        let line = points.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element.observed)))" }.joined(separator: " ")
        marks += "<polyline class=\"line\" points=\"\(line)\" fill=\"none\" stroke=\"#1d2330\" stroke-width=\"1.6\"/>"
        for (index, point) in points.enumerated() {
            let range = point.low.map { low in " (normal \(HTML.estimate(low))–\(HTML.estimate(point.high ?? low)))" } ?? ""
            marks += "<circle class=\"\(point.anomaly ? "point anomaly" : "point")\" data-date=\"\(point.date.compact)\" cx=\"\(f(x(index)))\" cy=\"\(f(y(point.observed)))\" r=\"\(point.anomaly ? 5 : 2.2)\" fill=\"\(point.anomaly ? "#b3261e" : "#1d2330")\">"
            marks += "<title>\(point.date.iso): \(HTML.estimate(point.observed))\(range)\(point.anomaly ? " · anomaly" : "")</title></circle>"
        }
        return svg(label: label, grid: grid(scale, dates: points.map(\.date), slot: slot), marks: marks)
    }

    private static func svg(label: String, grid: String, marks: String) -> String {
        "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(HTML.escape(label))\">\(grid)\(marks)</svg>"
    }

    /// A round top for the y axis and its step: 1, 2 or 5 times a power of ten, four or five steps.
    static func axis(max value: Double) -> (max: Double, step: Double) {
        guard value > 0, value.isFinite else { return (1, 0.25) }
        let rough = value / 4
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        return (ceil(value / step) * step, step)
    }

    private static func grid(_ scale: (max: Double, step: Double), dates: [CalendarDay], slot: Double) -> String {
        var out = ""
        var tick = 0.0
        while tick <= scale.max + scale.step / 2 {
            let y = top + (height - top - bottom) * (1 - tick / scale.max)
            out += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#dfe3ea\"/>"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(HTML.estimate(tick))</text>"
            tick += scale.step
        }
        let every = max(1, dates.count / 8)
        for (index, date) in dates.enumerated() where index % every == 0 {
            let x = left + (Double(index) + 0.5) * slot
            out += "<text x=\"\(f(x))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(String(format: "%02d-%02d", date.month, date.day))</text>"
        }
        return out
    }

    static func color(_ index: Int) -> String {
        HTML.palette[index % HTML.palette.count]
    }

    private static func f(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
