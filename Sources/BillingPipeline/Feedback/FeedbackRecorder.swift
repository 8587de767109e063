import BillingCore
import Foundation

/// Records what people say: a verdict on an anomaly (`ack`), and silences (`silence add|remove`).
///
/// A verdict changes what the baselines contain at once, in the same transaction, so `baselines`
/// shows the effect without waiting for the next daily run.
public struct FeedbackRecorder: Sendable {
    public var store: any JobStore
    public var baselineCalculator: BaselineCalculator
    /// How long to wait for a daily run of the anomaly's day, which rewrites the same rows.
    public var lockWait: Duration = .seconds(60)

    public init(store: any JobStore, baselineCalculator: BaselineCalculator) {
        self.store = store
        self.baselineCalculator = baselineCalculator
    }

    /// Stores the verdict on the anomaly `id`, replacing an earlier one, and what follows from it.
    public func acknowledge(
        _ id: AnomalyID, as verdict: AnomalyFeedback.Verdict, note: String?, now: Date
    ) async throws -> FeedbackReport {
        try await store.withJobLock("daily:\(id.date.compact)", wait: lockWait) {
            guard let anomaly = try await store.anomalies(in: id.date...id.date).first(where: { $0.id == id }) else {
                throw PipelineError.anomalyNotFound(id)
            }
            // A verdict given again without a note keeps the note given before.
            let earlier = try await store.feedback(in: id.date...id.date).first { $0.key == anomaly.key }
            let feedback = AnomalyFeedback(date: id.date, key: anomaly.key, verdict: verdict, note: note ?? earlier?.note, recordedAt: now)
            var changes = StoreChanges(now: now)
            changes.feedback = [feedback]
            var report = FeedbackReport(feedback: feedback, anomaly: anomaly)

            let stored = try await store.dailyCosts(of: [anomaly.key], in: id.date...id.date).first
            if let stored, stored.isAnomaly != verdict.isAnomalous {
                changes.anomalyFlags = [AnomalyFlag(date: id.date, key: anomaly.key, isAnomaly: verdict.isAnomalous)]
                if let end = try await store.baselineWindowEnd() {
                    let window = baselineCalculator.window(endingOn: end)
                    if window.contains(id.date) {
                        let history = try await store.costHistory(in: window)
                            .flagging(anomaly.key, on: id.date, isAnomaly: verdict.isAnomalous)
                        changes.baselines = baselineCalculator.baselines(from: history, window: window, computedAt: now)
                        report.baselineChanged = true
                    }
                }
            }
            report.dayInBaselines = stored.map { _ in !verdict.isAnomalous }
            try await store.commit(changes)
            return report
        }
    }

    /// Stores a new silence and returns it, with its id.
    public func addSilence(matchers: [Silence.Matcher], until: CalendarDay, reason: String, now: Date) async throws -> Silence {
        let text = matchers.map(\.description).joined(separator: ",")
        let id = String(AnomalyID.fnv1a("\(text)\u{1}\(until.compact)\u{1}\(reason)\u{1}\(now.timeIntervalSince1970)").prefix(8))
        let silence = Silence(id: id, matchers: matchers, until: until, reason: reason, createdAt: now)
        var changes = StoreChanges(now: now)
        changes.silences = [silence]
        try await store.commit(changes)
        return silence
    }

    /// Deletes the silence `id`; alerts it held back are sent by the next run that finds them unusual.
    public func removeSilence(_ id: String, now: Date) async throws -> Silence {
        guard let silence = try await store.silences().first(where: { $0.id == id.lowercased() }) else {
            throw PipelineError.silenceNotFound(id)
        }
        var changes = StoreChanges(now: now)
        changes.removedSilences = [silence.id]
        try await store.commit(changes)
        return silence
    }
}

/// What `ack` did.
public struct FeedbackReport: Sendable {
    public var feedback: AnomalyFeedback
    public var anomaly: Anomaly
    /// Whether the stored baselines were recomputed because the day moved in or out of them.
    public var baselineChanged = false
    /// Whether the key's day now counts in baselines; nil when its day is not stored yet (the daily
    /// job applies the verdict when it stores it).
    public var dayInBaselines: Bool?
}
