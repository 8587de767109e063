import Foundation

/// What someone said about an anomaly (`billing-alert ack`), kept with it.
public struct AnomalyFeedback: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable, CaseIterable {
        /// Expected spend: no more alerts for it, and the day stays out of the baselines.
        case planned
        /// Not unusual after all: no more alerts for it, and the day goes back into the baselines.
        case notAnomaly = "not-anomaly"
        /// A real problem: alerts go on as usual, and the day stays out of the baselines.
        case real

        /// Whether later detections of the anomaly are still announced.
        public var keepsAlerting: Bool { self == .real }

        /// Whether the day counts as unusual, so baselines leave it out.
        public var isAnomalous: Bool { self != .notAnomaly }
    }

    public var date: CalendarDay
    public var key: CostKey
    public var verdict: Verdict
    public var note: String?
    public var recordedAt: Date

    public init(date: CalendarDay, key: CostKey, verdict: Verdict, note: String?, recordedAt: Date) {
        self.date = date
        self.key = key
        self.verdict = verdict
        self.note = note
        self.recordedAt = recordedAt
    }

    public var id: AnomalyID { AnomalyID(date: date, key: key) }
}
