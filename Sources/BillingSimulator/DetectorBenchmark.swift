import BillingCore

/// Scores detectors on labelled bills: an anomaly is caught when any of its days is flagged; every
/// flagged day outside a labelled anomaly is a false alert.
public struct DetectorBenchmark: Sendable {
    public struct Score: Sendable, Hashable {
        public var detector: String
        public var anomalies: Int
        public var caught: Int
        public var falseAlerts: Int

        public var precision: Double {
            caught + falseAlerts == 0 ? 1 : Double(caught) / Double(caught + falseAlerts)
        }

        public var recall: Double {
            anomalies == 0 ? 1 : Double(caught) / Double(anomalies)
        }

        public var f1: Double {
            precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
    }

    public var bills: LabelledBills

    public init(bills: LabelledBills) {
        self.bills = bills
    }

    /// The score over every bill, or over the bills of one pattern.
    public func score(_ detector: AnomalyDetector, pattern: LabelledBills.Pattern? = nil) -> Score {
        Self.score(detector, bills: bills.generate().filter { pattern == nil || $0.pattern == pattern }, scoredDays: bills.scoredDays)
    }

    /// The score over `bills`, judging only `scoredDays` (the days before give the detector history).
    static func score(_ detector: AnomalyDetector, bills: [LabelledBills.Bill], scoredDays scored: ClosedRange<CalendarDay>) -> Score {
        var score = Score(detector: detector.name, anomalies: 0, caught: 0, falseAlerts: 0)
        for bill in bills {
            let flagged = Set(Backtester(detector: detector).flags(bill.series, in: scored).map(\.day))
            let wanted = bill.anomalies.filter { scored.contains($0.days.lowerBound) }
            score.anomalies += wanted.count
            score.caught += wanted.filter { anomaly in flagged.contains(where: anomaly.days.contains) }.count
            score.falseAlerts += flagged.filter { day in !bill.anomalies.contains { $0.days.contains(day) } }.count
        }
        return score
    }
}
