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

    /// Replays `series` (per key, named as the output should name them) and returns the flags in `days`.
    public func backtest(
        _ series: [(domainId: String, projectId: String, service: String, series: DailySeries)],
        days: ClosedRange<CalendarDay>?, detector name: String
    ) throws -> Table {
        let detector = try detector(named: name)
        var rows: [(CalendarDay, [String], Backtester.Flag)] = []
        for entry in series where !entry.series.values.isEmpty {
            let range = days ?? entry.series.start...entry.series.day(at: entry.series.count - 1)
            for flag in Backtester(detector: detector).flags(entry.series, in: range) {
                rows.append((flag.day, [entry.domainId, entry.projectId, entry.service], flag))
            }
        }
        rows.sort { ($0.0, $0.1.joined(separator: "\u{1}")) < ($1.0, $1.1.joined(separator: "\u{1}")) }
        return Table(
            columns: ["date", "domainId", "projectId", "service", "observed", "expected", "impact", "zScore", "ratio", "detector"],
            rows: rows.map { day, key, flag in
                [
                    .text(day.iso), .text(key[0]), .text(key[1]), .text(key[2]), Self.money(flag.observed),
                    Self.money(flag.expected), Self.money(flag.impact), flag.zScore.map(Self.statistic) ?? .null,
                    flag.ratio.isFinite ? Self.statistic(flag.ratio) : .null, .text(flag.detector),
                ]
            })
    }

    /// Backtests the costs in a CSV file.
    public func backtest(csvAt path: String, days: ClosedRange<CalendarDay>?, detector: String) throws -> Table {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw BacktestError("cannot read \(path): \(FileFailure.reason(error))")
        }
        let csv = try CostCSV(text: text, source: path)
        let series = csv.costs.keys.sorted().compactMap { key -> (String, String, String, DailySeries)? in
            let costs = csv.costs[key]!.map { (day: $0.key, amount: $0.value.doubleValue) }
            guard let last = costs.map(\.day).max() else { return nil }
            return (key.domainId, key.projectId, key.service, DailySeries(costs: costs, through: last))
        }
        return try backtest(series.map { ($0.0, $0.1, $0.2, $0.3) }, days: days, detector: detector)
    }

    /// Backtests the costs in the store; the service is named by its id.
    public func backtestStore(days: ClosedRange<CalendarDay>, detector: String) async throws -> Table {
        let history = days.lowerBound.adding(days: -SeasonalDetector.Settings().historyDays)...days.upperBound
        let costs = try await withStore { try await $0.dailyCosts(in: history) }
        var byKey: [CostKey: [(day: CalendarDay, amount: Double)]] = [:]
        for cost in costs { byKey[cost.key, default: []].append((cost.date, cost.expectAmount.doubleValue)) }
        let series = byKey.keys.sorted().map { key in
            (key.domainId, key.projectId, key.serviceId, DailySeries(costs: byKey[key]!, through: days.upperBound))
        }
        return try backtest(series.map { ($0.0, $0.1, $0.2, $0.3) }, days: days, detector: detector)
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
