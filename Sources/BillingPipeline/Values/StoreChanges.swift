import BillingCore
import Foundation

/// One run's writes, applied together by `BillingStore.commit(_:)`.
///
/// Every write is keyed by what it describes, so applying the same changes twice leaves the store as
/// applying them once does.
public struct StoreChanges: Sendable {
    /// Days whose costs are replaced: after the commit each holds exactly its entries in `dailyCosts`.
    public var replacedDays: [CalendarDay] = []
    public var dailyCosts: [DailyCost] = []
    /// Replaces each day's stored top movers.
    public var movers: [CalendarDay: [DailyDigest.Mover]] = [:]
    /// When set, replaces every baseline.
    public var baselines: [Baseline]?
    /// Upserted by (date, hour, key); an existing anomaly keeps its notification state.
    public var anomalies: [Anomaly] = []
    /// Days and hours judged again: after the commit each holds exactly its entries in `anomalies`.
    /// An anomaly that no longer stands is removed, and its deliveries still owed are withdrawn
    /// (those made stay made).
    public var rejudged: [JudgedHour] = []
    /// Notification outcomes, by (date, hour, key).
    public var notifications: [AnomalyNotification] = []
    /// Upserted by (job, date).
    public var jobRuns: [JobRun] = []
    /// Upserted by (date, hour, key).
    public var intraday: IntradaySnapshots = []
    /// Upserted by (date, hour, key, channel).
    public var deliveries: [Delivery] = []
    /// Upserted by id.
    public var silences: [Silence] = []
    /// Ids of silences to delete.
    public var removedSilences: [String] = []
    /// Upserted by (date, key).
    public var feedback: [AnomalyFeedback] = []
    /// Sets whether stored daily costs count as unusual, without replacing their days.
    public var anomalyFlags: [AnomalyFlag] = []
    /// The time written into created/updated columns.
    public var now: Date

    public init(now: Date) {
        self.now = now
    }

    public var isEmpty: Bool {
        replacedDays.isEmpty && dailyCosts.isEmpty && movers.isEmpty && baselines == nil && anomalies.isEmpty && rejudged.isEmpty
            && notifications.isEmpty && jobRuns.isEmpty && intraday.isEmpty && deliveries.isEmpty
            && silences.isEmpty && removedSilences.isEmpty && feedback.isEmpty && anomalyFlags.isEmpty
    }
}

/// A day and hour a run judged: `Anomaly.wholeDay` for the daily job's verdict on a day.
public struct JudgedHour: Sendable, Hashable {
    public var date: CalendarDay
    public var hour: Int

    public init(date: CalendarDay, hour: Int) {
        self.date = date
        self.hour = hour
    }

    /// The keys judged unusual at this day and hour among `anomalies`.
    public func keys(among anomalies: [Anomaly]) -> Set<CostKey> {
        Set(anomalies.lazy.filter { $0.date == date && $0.hour == hour }.map(\.key))
    }
}

/// Whether one key's cost on one day counts as unusual, which keeps it out of the baselines.
public struct AnomalyFlag: Sendable, Hashable {
    public var date: CalendarDay
    public var key: CostKey
    public var isAnomaly: Bool

    public init(date: CalendarDay, key: CostKey, isAnomaly: Bool) {
        self.date = date
        self.key = key
        self.isAnomaly = isAnomaly
    }
}
