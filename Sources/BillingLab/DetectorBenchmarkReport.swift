import BillingApp
import BillingCore
import BillingSimulator

/// `detector-benchmark`: precision, recall and F1 of each detector on labelled synthetic bills.
public enum DetectorBenchmarkReport {
    /// One row per detector, or per detector and pattern when `byPattern`.
    public static func table(bills: LabelledBills, detectors: [AnomalyDetector], byPattern: Bool = false) -> Table {
        let benchmark = DetectorBenchmark(bills: bills)
        var table = Table(columns: ["detector", "pattern", "anomalies", "caught", "falseAlerts", "precision", "recall", "f1"])
        let patterns: [LabelledBills.Pattern?] = byPattern ? LabelledBills.Pattern.allCases : [nil]
        for detector in detectors {
            for pattern in patterns {
                let score = benchmark.score(detector, pattern: pattern)
                table.rows.append([
                    .text(score.detector), .text(pattern?.rawValue ?? "all"), .number(String(score.anomalies)),
                    .number(String(score.caught)), .number(String(score.falseAlerts)),
                ] + rates(score.precision, score.recall, score.f1))
            }
        }
        return table
    }

    /// One row per detector over `bills`, and with `byGroup` one per pattern, noise band and tail too;
    /// after the seasonal detector, its `ceiling`: the same thresholds told each key's true level and noise.
    public static func table(wide bills: WideBills, detectors: [AnomalyDetector], byGroup: Bool = false) -> Table {
        let benchmark = WideBenchmark(bills)
        var table = Table(columns: [
            "detector", "group", "events", "caught", "falseAlerts", "precision", "recall", "f1", "falsePer1000Days",
        ])
        var reports = detectors.map { ($0.name, benchmark.report($0)) }
        for case .seasonal(let seasonal) in detectors {
            reports.append(("ceiling", benchmark.ceiling(seasonal.settings)))
        }
        for (name, report) in reports {
            var groups: [(String, WideBenchmark.Score)] = [("all", report.all)]
            if byGroup {
                groups += WideBills.Pattern.allCases.compactMap { pattern in report.byPattern[pattern].map { ("pattern \(pattern.rawValue)", $0) } }
                groups += WideBills.NoiseBand.allCases.compactMap { band in report.byBand[band].map { ("noise \(band.rawValue)", $0) } }
                groups += WideBills.Tail.allCases.compactMap { tail in report.byTail[tail].map { ("tail \(tail.rawValue)", $0) } }
            }
            for (group, score) in groups {
                table.rows.append([
                    .text(name), .text(group), .number(String(score.events)), .number(String(score.caught)),
                    .number(String(score.falseAlerts)),
                ] + rates(score.precision, score.recall, score.f1) + [.number(AlertText.fixed(score.falseAlertsPerThousandDays, digits: 2))])
            }
        }
        return table
    }

    /// Precision, recall and F1 as both tables print them: three decimals.
    private static func rates(_ precision: Double, _ recall: Double, _ f1: Double) -> [Table.Cell] {
        [precision, recall, f1].map { .number(AlertText.fixed($0, digits: 3)) }
    }
}
