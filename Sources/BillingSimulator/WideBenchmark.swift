import BillingCore
import Foundation

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
        report { bill in Set(Backtester(detector: detector).flags(bill.series, in: scoredDays).map(\.day)) }
    }

    /// What a detector told each key's true noise-free level and noise would score with the seasonal
    /// detector's thresholds: a day is flagged when it stands `zScore` of the key's log spread above its
    /// normal, at `ratio` times it or more, with an excess of `minImpact`. No detector learning from the
    /// days alone does better at those thresholds; it shows how much of a band's misses the noise forces.
    public func ceiling(_ settings: SeasonalDetector.Settings) -> Report {
        report { bill in
            let sigma = Foundation.log(1 + bill.noise * bill.noise).squareRoot()
            var flagged = Set<CalendarDay>()
            for (index, value) in bill.series.values.enumerated() where value > 0 && bill.normal[index] > 0 {
                let normal = bill.normal[index]
                if Foundation.log(value / normal) >= settings.zScore * sigma, value >= settings.ratio * normal,
                    value - normal >= settings.minImpact
                {
                    flagged.insert(bill.series.day(at: index))
                }
            }
            return flagged
        }
    }

    private func report(flagging flags: (WideBills.Bill) -> Set<CalendarDay>) -> Report {
        var report = Report()
        for bill in bills {
            let score = score(bill, flagged: flags(bill))
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
