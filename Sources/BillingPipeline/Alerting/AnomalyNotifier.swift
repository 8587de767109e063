import BillingCore
import Foundation
import Logging

/// Delivers anomalies through the outbox: records what each channel must get before sending, sends
/// each channel one message with everything it is owed (new anomalies and earlier failures), and
/// records each outcome, so a success is never sent twice and a refusal is not retried.
///
/// Before anything is recorded, feedback and silences have their say: an anomaly closed by feedback
/// is not sent again, a silenced one is stored as silenced, and each channel gets only what its route
/// admits.
struct AnomalyNotifier {
    var alerter: Alerter
    var store: any JobStore
    var logger: Logger

    /// What a round of notifying did.
    struct Result {
        /// One per channel that had something to send.
        var outcomes: [ChannelOutcome] = []
        /// The anomalies given to at least one channel this round, worst first.
        var announced: [Anomaly] = []
    }

    /// Announces `anomalies` and retries what is outstanding for anomalies dated in `days`.
    func notify(_ anomalies: [Anomaly], days: ClosedRange<CalendarDay>, now: Date) async throws -> Result {
        var result = Result()
        let channels = alerter.channels
        let silences = try await store.silences()
        let closed = Set(try await store.feedback(in: days).filter { !$0.verdict.keepsAlerting }.map(\.id))
        var outbox = StoreChanges(now: now)
        for anomaly in anomalies where !closed.contains(anomaly.id) {
            if let silence = Silence.silencing(anomaly, among: silences, on: anomaly.date) {
                outbox.notifications.append(Self.silenced(anomaly, by: silence, now: now))
                continue
            }
            let admitting = channels.filter { alerter.route(for: $0.name).admits(anomaly) }
            guard !admitting.isEmpty else {
                outbox.notifications.append(Self.notification(anomaly, .skipped, now: now, detail: "below every channel's minimum impact"))
                continue
            }
            result.announced.append(anomaly)
            outbox.deliveries += admitting.map {
                Delivery(date: anomaly.date, hour: anomaly.hour, key: anomaly.key, channel: $0.name, status: .pending, attempts: 0)
            }
        }
        try await store.commit(outbox)

        let stored = Dictionary(
            try await store.anomalies(in: days).map { (Self.id($0.date, $0.hour, $0.key), $0) }, uniquingKeysWith: { first, _ in first })
        var results: [Delivery] = []
        var withdrawn: [AnomalyNotification] = []
        var owedByChannel: [String: [(Delivery, Anomaly)]] = [:]
        for delivery in try await store.deliveries(in: days) where delivery.isOutstanding {
            guard let anomaly = stored[Self.id(delivery.date, delivery.hour, delivery.key)] else { continue }
            // Feedback or a silence that came after the delivery was recorded withdraws it.
            let silence = Silence.silencing(anomaly, among: silences, on: anomaly.date)
            if closed.contains(anomaly.id) || silence != nil {
                results.append(Self.updated(delivery, status: .withdrawn, error: nil, tried: false))
                if let silence {
                    withdrawn.append(Self.silenced(anomaly, by: silence, now: now))
                }
            } else {
                owedByChannel[delivery.channel, default: []].append((delivery, anomaly))
            }
        }
        for channel in channels {
            guard let owed = owedByChannel[channel.name] else { continue }
            let message = owed.map(\.1).sorted { ($0.explanation.impact ?? 0) > ($1.explanation.impact ?? 0) }
            do {
                try await channel.send(.anomalies(message))
                result.outcomes.append(ChannelOutcome(channel: channel.name, failure: nil))
                results += owed.map { Self.updated($0.0, status: .sent, error: nil) }
            } catch {
                let retryable = (error as? any RetryableError)?.isRetryable ?? true
                let reason = String(describing: error)
                logger.warning("alert channel failed", metadata: ["channel": "\(channel.name)", "reason": "\(reason)", "retry": "\(retryable)"])
                result.outcomes.append(ChannelOutcome(channel: channel.name, failure: retryable ? reason : reason + " (not retried)"))
                results += owed.map { Self.updated($0.0, status: retryable ? .failed : .rejected, error: reason) }
            }
        }
        guard !results.isEmpty else { return result }
        var changes = StoreChanges(now: now)
        changes.deliveries = results
        changes.notifications = Self.summaries(results.filter { $0.status != .withdrawn }, now: now) + withdrawn
        try await store.commit(changes)
        return result
    }

    static func silenced(_ anomaly: Anomaly, by silence: Silence, now: Date) -> AnomalyNotification {
        notification(anomaly, .silenced, now: now, detail: "silence \(silence.id) until \(silence.until.compact): \(silence.reason)")
    }

    static func notification(_ anomaly: Anomaly, _ status: NotificationState.Status, now: Date, detail: String) -> AnomalyNotification {
        AnomalyNotification(date: anomaly.date, hour: anomaly.hour, key: anomaly.key, state: NotificationState(status: status, at: now, detail: detail))
    }

    static func id(_ date: CalendarDay, _ hour: Int, _ key: CostKey) -> String {
        "\(date.compact)\u{1}\(hour)\u{1}\(key.domainId)\u{1}\(key.projectId)\u{1}\(key.serviceId)"
    }

    static func updated(_ delivery: Delivery, status: Delivery.Status, error: String?, tried: Bool = true) -> Delivery {
        var delivery = delivery
        delivery.status = status
        if tried { delivery.attempts += 1 }
        delivery.lastError = error
        return delivery
    }

    /// Each anomaly's notification state from this run's deliveries: sent when all of them went out.
    static func summaries(_ deliveries: [Delivery], now: Date) -> [AnomalyNotification] {
        let grouped = Dictionary(grouping: deliveries) { id($0.date, $0.hour, $0.key) }
        return grouped.values.compactMap { group in
            guard let first = group.first else { return nil }
            let failures = group.filter { $0.status != .sent }.map { "\($0.channel): \($0.lastError ?? $0.status.rawValue)" }
            let state = failures.isEmpty
                ? NotificationState(status: .sent, at: now)
                : NotificationState(status: .failed, at: now, detail: failures.joined(separator: "; "))
            return AnomalyNotification(date: first.date, hour: first.hour, key: first.key, state: state)
        }
    }
}
