import Foundation

/// The hourly job's verdict on today so far, decided from data alone.
///
/// The classic rule compares today so far with the stored baselines of whole days, as the tutorial
/// did. The seasonal detector compares it with the share of a normal day that has usually accrued by
/// this hour on comparable days (same weekday or weekend), or with the hours elapsed when there are too
/// few hourly snapshots yet; before 02:00 too little of the day is billed to judge it.
public struct HourlyJudgement: Sendable {
    /// What the judgement needs from the store, which depends on the detector and the hour.
    public enum Evidence: Sendable, Hashable {
        /// Nothing: the day is not judged at this hour.
        case nothing
        /// The stored baselines.
        case baselines
        /// Each key's daily amounts in `days`, and the hourly snapshots taken at this hour in `snapshotDays`.
        case history(days: ClosedRange<CalendarDay>, snapshotDays: ClosedRange<CalendarDay>)
    }

    /// The anomalies, sorted by key, their drivers not yet named (`DriverFinder`, with `accrued`).
    public var anomalies: [Anomaly]
    /// How many of today's keys had something to be judged against.
    public var judgedKeyCount: Int
    /// Per key, the share of a whole day expected by this hour; missing means 1 (a whole day).
    public var accrued: [CostKey: Double]

    /// What `detector` needs read to judge `day` at `hour`.
    public static func evidence(for detector: AnomalyDetector, day: CalendarDay, hour: Int) -> Evidence {
        switch detector {
        case .classic: return .baselines
        case .seasonal:
            guard hour >= 2 else { return .nothing }
            return .history(
                days: day.adding(days: -detector.historyDays)...day.adding(days: -1),
                snapshotDays: day.adding(days: -28)...day.adding(days: -1))
        }
    }

    /// Judges `costs`, today's as of `hour`, with the evidence `evidence(for:day:hour:)` asked for:
    /// `baselines` for `.baselines`, `history` and `snapshots` for `.history`.
    public init(
        _ costs: [DailyCost], day: CalendarDay, hour: Int, detector: AnomalyDetector,
        baselines: [Baseline] = [], history: CostHistory = CostHistory(), snapshots: [IntradaySnapshot] = [],
        now: Date
    ) {
        switch (detector, Self.evidence(for: detector, day: day, hour: hour)) {
        case (.classic(let classic, _), _):
            let byKey = Dictionary(baselines.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            anomalies = classic.scan(costs, baselines: byKey, hour: hour, detectedAt: now)
            // Counted, not filtered: a filtered copy of today's costs would hold them twice.
            judgedKeyCount = costs.reduce(0) { $0 + (byKey[$1.key] != nil ? 1 : 0) }
            accrued = [:]
        case (.seasonal, .history(_, let snapshotDays)):
            let shares = Self.shares(byHour: hour, on: day, history: history, snapshots: snapshots, in: snapshotDays)
            // A key without enough snapshots of its own goes by the hours elapsed.
            let elapsed = IntradayShare.share(byHour: hour, samples: [])
            anomalies = detector.scan(
                costs, day: day, history: history, hour: hour, accrued: { shares[$0] ?? elapsed }, detectedAt: now)
            judgedKeyCount = costs.reduce(0) { $0 + (history.entries[$1.key] != nil ? 1 : 0) }
            let anomalous = Set(anomalies.map(\.key))
            accrued = Dictionary(
                costs.lazy.filter { anomalous.contains($0.key) }
                    .map { ($0.key, (shares[$0.key] ?? elapsed).share) },
                uniquingKeysWith: { first, _ in first })
        case (.seasonal, _):
            (anomalies, judgedKeyCount, accrued) = ([], 0, [:])
        }
    }

    /// Each key's share of a whole day accrued by `hour`, learned from the snapshots taken at that hour
    /// on comparable days (weekend with weekend) whose whole day is in `history`.
    static func shares(
        byHour hour: Int, on day: CalendarDay, history: CostHistory, snapshots: [IntradaySnapshot],
        in comparable: ClosedRange<CalendarDay>
    ) -> [CostKey: (share: Double, spread: Double)] {
        // Per key: its snapshots, then its whole days read into a small window, so the work and memory
        // follow the snapshots, not every key's whole history.
        let first = comparable.lowerBound.daysSinceEpoch
        let width = comparable.lowerBound.days(until: comparable.upperBound) + 1
        var snapshotsByKey: [CostKey: [IntradaySnapshot]] = [:]
        for snapshot in snapshots where comparable.contains(snapshot.date) && snapshot.date.isWeekend == day.isWeekend {
            snapshotsByKey[snapshot.key, default: []].append(snapshot)
        }
        var samples: [CostKey: [(atHour: Double, wholeDay: Double)]] = [:]
        var wholeDays = [Double?](repeating: nil, count: width)
        for (key, keySnapshots) in snapshotsByKey {
            guard let entries = history.entries[key] else { continue }
            for index in wholeDays.indices { wholeDays[index] = nil }
            for entry in entries {
                let offset = Int(entry.day) - first
                if offset >= 0, offset < width { wholeDays[offset] = entry.amount }
            }
            for snapshot in keySnapshots {
                guard let whole = wholeDays[snapshot.date.daysSinceEpoch - first] else { continue }
                samples[key, default: []].append((snapshot.expectAmount.doubleValue, whole))
            }
        }
        return samples.mapValues { IntradayShare.share(byHour: hour, samples: $0) }
    }
}
