import Foundation

/// When an anomaly is announced again: an anomaly is one key on one day (its fingerprint); the first
/// detection is announced, later ones only when it got worse by `escalationFactor` or when
/// `repeatInterval` has passed since it was last announced.
public struct AlertPolicy: Sendable, Hashable {
    public var escalationFactor: Double
    public var repeatInterval: Duration

    public init(escalationFactor: Double = 2, repeatInterval: Duration = .seconds(24 * 3600)) {
        self.escalationFactor = escalationFactor
        self.repeatInterval = repeatInterval
    }

    /// The anomalies to announce now, worst first, given those already announced for the same days.
    ///
    /// "Worse" compares the excess over expected relative to expected (ratio - 1): through a day the
    /// expected cost so far grows with the hours, so this is the day's projected excess, which a steady
    /// anomaly keeps and a growing one raises.
    public func toAnnounce(_ anomalies: [Anomaly], alreadySent: [Anomaly], now: Date) -> [Anomaly] {
        var lastSent: [String: (excess: Double, at: Date)] = [:]
        // An announcement that failed on some channel counts as made: the outbox retries those.
        for sent in alreadySent where sent.notification.status == .sent || sent.notification.status == .failed {
            let fingerprint = Self.fingerprint(sent)
            let at = sent.notification.at ?? sent.detectedAt
            let previous = lastSent[fingerprint]
            if previous == nil || at > previous!.at { lastSent[fingerprint] = (sent.ratio - 1, at) }
        }
        return anomalies.filter { anomaly in
            guard let previous = lastSent[Self.fingerprint(anomaly)] else { return true }
            let escalated = anomaly.ratio - 1 >= previous.excess * escalationFactor
            let repeatDue = now.timeIntervalSince(previous.at) >= Double(repeatInterval.components.seconds)
            return escalated || repeatDue
        }.sorted { ($0.explanation.impact ?? 0) > ($1.explanation.impact ?? 0) }
    }

    /// Domain, project, service and date: what makes two detections the same anomaly.
    public static func fingerprint(_ anomaly: Anomaly) -> String {
        "\(anomaly.key.domainId)\u{1}\(anomaly.key.projectId)\u{1}\(anomaly.key.serviceId)\u{1}\(anomaly.date.compact)"
    }
}
