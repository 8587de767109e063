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
                .text(score.detector), .text(pattern?.rawValue ?? "all"), .number(String(score.anomalies)), .number(String(score.caught)),
                .number(String(score.falseAlerts)), .number(AlertText.fixed(score.precision, digits: 3)),
                .number(AlertText.fixed(score.recall, digits: 3)), .number(AlertText.fixed(score.f1, digits: 3)),
            ])
            }
        }
        return table
    }
}
