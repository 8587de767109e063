import BillingCore

/// Scores detectors on `WideBills`: an event is caught when any of its wanted days is flagged; a flag on
/// an unwanted day is a false alert; days without a verdict do not count either way.
public struct WideBenchmark: Sendable {
    public struct Score: Sendable, Hashable {
        public var events = 0
        public var caught = 0
        public var falseAlerts = 0
        /// Scored key-days without an event or a reason to spare them: where false alerts can happen.
        public var unwantedDays = 0

        public var precision: Double { caught + falseAlerts == 0 ? 1 : Double(caught) / Double(caught + falseAlerts) }
        public var recall: Double { events == 0 ? 1 : Double(caught) / Double(events) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        /// False alerts per 1,000 unwanted key-days.
        public var falseAlertsPerThousandDays: Double { unwantedDays == 0 ? 0 : 1000 * Double(falseAlerts) / Double(unwantedDays) }

        static func + (lhs: Score, rhs: Score) -> Score {
            Score(
                events: lhs.events + rhs.events, caught: lhs.caught + rhs.caught, falseAlerts: lhs.falseAlerts + rhs.falseAlerts,
                unwantedDays: lhs.unwantedDays + rhs.unwantedDays)
        }
    }

    /// One detector's scores over all bills and by group.
    public struct Report: Sendable {
        public var all = Score()
        public var byPattern: [WideBills.Pattern: Score] = [:]
        public var byBand: [WideBills.NoiseBand: Score] = [:]
        public var byTail: [WideBills.Tail: Score] = [:]
    }

    public var bills: [WideBills.Bill]
    public var scoredDays: ClosedRange<CalendarDay>

    public init(_ set: WideBills) {
        bills = set.generate()
        scoredDays = set.scoredDays
    }

    public func report(_ detector: AnomalyDetector) -> Report {
        var report = Report()
        for bill in bills {
            let score = score(bill, flagged: Set(Backtester(detector: detector).flags(bill.series, in: scoredDays).map(\.day)))
            report.all = report.all + score
            report.byPattern[bill.pattern, default: Score()] = report.byPattern[bill.pattern, default: Score()] + score
            report.byBand[bill.band, default: Score()] = report.byBand[bill.band, default: Score()] + score
            report.byTail[bill.tail, default: Score()] = report.byTail[bill.tail, default: Score()] + score
        }
        return report
    }

    /// One bill's score given the days a detector flagged.
    public func score(_ bill: WideBills.Bill, flagged: Set<CalendarDay>) -> Score {
        var score = Score()
        var caught = Set<Int>()
        var day = scoredDays.lowerBound
        while day <= scoredDays.upperBound {
            switch bill.verdict(on: day) {
            case .unwanted:
                score.unwantedDays += 1
                if flagged.contains(day) { score.falseAlerts += 1 }
            case .wanted(let event):
                if flagged.contains(day) { caught.insert(event) }
            case .noVerdict:
                break
            }
            day = day.adding(days: 1)
        }
        let scored = bill.events.indices.filter { index in bill.events[index].wantedDays.contains { scoredDays.contains($0) } }
        score.events = scored.count
        score.caught = scored.filter(caught.contains).count
        return score
    }
}
