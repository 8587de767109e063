import BillingApp
import BillingCore
import BillingPipeline
import Foundation

extension BillingApp {
    /// The detectors `--detector` names.
    public static let detectorNames = AnomalyDetector.names

    /// The detector called `name`, with the configured thresholds.
    public func detector(named name: String) throws -> AnomalyDetector {
        guard Self.detectorNames.contains(name) else {
            throw BacktestError("there is no detector '\(name)'; use one of \(Self.detectorNames.joined(separator: ", "))")
        }
        var configuration = configuration
        configuration.detectorName = name
        return BillingApp(configuration: configuration, logger: logger, output: output).detector
    }

    /// One key's daily costs to replay: ids as the output names them, and names where known.
    public struct BacktestSeries: Sendable {
        public var domainId: String
        public var projectId: String
        /// The service as the input gave it: an id from the store, a name or an id from a CSV file.
        public var service: String
        public var domainName = ""
        public var projectName = ""
        public var serviceName = ""
        public var series: DailySeries
    }

    /// Replays each series and lists the flags in `days`: JSON and CSV in the scripts' contract, a
    /// table with names and a summary of the alerts per key and per day.
    public func backtest(_ series: [BacktestSeries], days: ClosedRange<CalendarDay>?, detector name: String) throws -> Listing {
        let detector = try detector(named: name)
        var rows: [(day: CalendarDay, entry: BacktestSeries, flag: Backtester.Flag)] = []
        var judged = Set<CalendarDay>()
        var keys = 0
        for entry in series where !entry.series.values.isEmpty {
            let range = days ?? entry.series.start...entry.series.day(at: entry.series.count - 1)
            keys += 1
            let first = max(range.lowerBound, entry.series.start), last = min(range.upperBound, entry.series.day(at: entry.series.count - 1))
            if first <= last {
                for offset in 0...first.days(until: last) { judged.insert(first.adding(days: offset)) }
            }
            for flag in Backtester(detector: detector).flags(entry.series, in: range) { rows.append((flag.day, entry, flag)) }
        }
        rows.sort { ($0.day, $0.entry.domainId, $0.entry.projectId, $0.entry.service) < ($1.day, $1.entry.domainId, $1.entry.projectId, $1.entry.service) }
        let data = Table(
            columns: ["date", "domainId", "projectId", "service", "observed", "expected", "impact", "zScore", "ratio", "detector"],
            rows: rows.map { day, entry, flag in
                [
                    .text(day.iso), .text(entry.domainId), .text(entry.projectId), .text(entry.service), Self.money(flag.observed),
                    Self.money(flag.expected), Self.money(flag.impact), flag.zScore.map(Self.statistic) ?? .null,
                    flag.ratio.isFinite ? Self.statistic(flag.ratio) : .null, .text(flag.detector),
                ]
            })
        func title(_ entry: BacktestSeries) -> String {
            CostKey(domainId: entry.domainId, projectId: entry.projectId, serviceId: entry.service).title(
                service: entry.serviceName, project: entry.projectName, domain: entry.domainName)
        }
        var text = TextTable(
            columns: [
                .init("date"), .init("key", name: true), .init("observed (KRW)", number: true), .init("expected", number: true),
                .init("impact", number: true),
            ],
            empty: "The \(name) detector flags nothing on \(judged.count) days of \(keys) keys.")
        text.rows = rows.map { day, entry, flag in
            [day.iso, title(entry), AmountText.grouped(flag.observed), AmountText.grouped(flag.expected), "+" + AmountText.grouped(flag.impact)]
        }
        text.totals = ["\(rows.count) alert\(rows.count == 1 ? "" : "s")", "", "", "", "+" + AmountText.grouped(rows.reduce(0) { $0 + $1.flag.impact })]
        var byKey: [String: Int] = [:]
        for row in rows { byKey[title(row.entry), default: 0] += 1 }
        let flaggedDays = Set(rows.map(\.day)).count
        let most = byKey.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3).map { "\($0.key) (\($0.value))" }
        text.notes = rows.isEmpty ? [] : [
            "The \(name) detector: \(rows.count) alert\(rows.count == 1 ? "" : "s") on \(byKey.count) of \(keys) keys over \(judged.count) days "
                + "(\(flaggedDays) day\(flaggedDays == 1 ? "" : "s") with one; "
                + String(format: "%.2f a day, %.3f per key and day", Double(rows.count) / Double(max(1, judged.count)), Double(rows.count) / Double(max(1, judged.count * keys)))
                + ").",
            "Most flagged: " + most.joined(separator: ", ") + ".",
        ]
        return Listing(data: data, text: text)
    }

    /// Backtests the costs in a CSV file, such as `costs --format csv` writes.
    public func backtest(csvAt path: String, days: ClosedRange<CalendarDay>?, detector: String) throws -> Listing {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw BacktestError("cannot read \(path): \(FileFailure.reason(error))")
        }
        let csv = try CostCSV(text: text, source: path)
        let series = csv.costs.keys.sorted().compactMap { key -> BacktestSeries? in
            let costs = csv.costs[key]!.map { (day: $0.key, amount: $0.value.doubleValue) }
            guard let last = costs.map(\.day).max() else { return nil }
            let names = csv.names[key]
            return BacktestSeries(
                domainId: key.domainId, projectId: key.projectId, service: key.service, domainName: names?.domain ?? "",
                projectName: names?.project ?? "", serviceName: names?.service ?? "", series: DailySeries(costs: costs, through: last))
        }
        return try backtest(series, days: days, detector: detector)
    }

    /// Backtests the costs in the store; the service is named by its id.
    public func backtestStore(days: ClosedRange<CalendarDay>, detector: String) async throws -> Listing {
        let history = days.lowerBound.adding(days: -SeasonalDetector.Settings().historyDays)...days.upperBound
        let costs = try await withStore { try await $0.dailyCosts(in: history) }
        var byKey: [CostKey: [(day: CalendarDay, amount: Double)]] = [:]
        var named: [CostKey: DailyCost] = [:]
        for cost in costs {
            byKey[cost.key, default: []].append((cost.date, cost.expectAmount.doubleValue))
            named[cost.key] = cost
        }
        let series = byKey.keys.sorted().map { key in
            BacktestSeries(
                domainId: key.domainId, projectId: key.projectId, service: key.serviceId, domainName: named[key]?.domainName ?? "",
                projectName: named[key]?.projectName ?? "", serviceName: named[key]?.serviceName ?? "",
                series: DailySeries(costs: byKey[key]!, through: days.upperBound))
        }
        return try backtest(series, days: days, detector: detector)
    }

    static func money(_ value: Double) -> Table.Cell {
        .number(ExactDecimal(String(format: "%.2f", value))?.description ?? "0")
    }
}

public struct BacktestError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
