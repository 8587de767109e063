import Foundation

/// Who is told what, decided from data alone: the anomalies to announce, the deliveries the store
/// already holds, what people said (verdicts and silences), and each channel's route.
///
/// A run records the plan before it sends anything (the deliveries now owed, those withdrawn, and the
/// anomalies a silence or every channel's minimum holds back), then sends each channel one message
/// with everything it is owed: new anomalies and earlier failures. `records(after:)` turns what the
/// channels did into what to record next, so a success is never sent twice and a refusal is never
/// retried.
public struct DeliveryPlan: Sendable {
    /// One channel's message: the anomalies it is owed, worst first, and the deliveries they settle.
    public struct Send: Sendable {
        public var channel: String
        public var anomalies: [Anomaly]
        public var deliveries: [Delivery]
    }

    /// How a channel took its message.
    public enum Outcome: Sendable, Hashable {
        case sent
        /// Failed; a retryable failure is tried again by the next run, another is refused for good.
        case failed(reason: String, retryable: Bool)
    }

    /// Deliveries to record before sending: new ones owed, and earlier ones withdrawn because a verdict
    /// or a silence came after them.
    public private(set) var deliveries: [Delivery] = []
    /// Notification states to record before sending: anomalies held back by a silence, or too small
    /// for every channel.
    public private(set) var notifications: [AnomalyNotification] = []
    /// What to send, in channel order; a channel owed nothing is left out.
    public private(set) var sends: [Send] = []
    /// The anomalies given to at least one channel for the first time, in the order they were given.
    public private(set) var announced: [Anomaly] = []
    public let now: Date

    /// - Parameters:
    ///   - anomalies: what to announce now, as `AlertPolicy.toAnnounce` chose it.
    ///   - standing: every anomaly the store will hold, once this run's are committed, dated in the days
    ///     `stored` covers; a delivery of an anomaly that no longer stands is not sent.
    ///   - stored: the deliveries the store holds of anomalies in those days.
    ///   - feedback: verdicts on those days' anomalies; one that does not keep alerting closes its anomaly.
    ///   - silences: every silence, expired ones included.
    ///   - channels: each channel's name and route, in the order their messages go out.
    public init(
        announcing anomalies: [Anomaly], standing: [Anomaly], deliveries stored: [Delivery],
        feedback: [AnomalyFeedback], silences: [Silence], channels: [(name: String, route: ChannelRoute)], now: Date
    ) {
        self.now = now
        let closed = Set(feedback.filter { !$0.verdict.keepsAlerting }.map(\.id))
        var fresh: [Delivery] = []
        for anomaly in anomalies where !closed.contains(anomaly.id) {
            if let silence = Silence.silencing(anomaly, among: silences, on: anomaly.date) {
                notifications.append(.silenced(anomaly, by: silence, at: now))
                continue
            }
            let admitting = channels.filter { $0.route.admits(anomaly) }
            guard !admitting.isEmpty else {
                notifications.append(.of(anomaly, .skipped, at: now, detail: "below every channel's minimum impact"))
                continue
            }
            announced.append(anomaly)
            fresh += admitting.map {
                Delivery(date: anomaly.date, hour: anomaly.hour, key: anomaly.key, channel: $0.name, status: .pending, attempts: 0)
            }
        }
        deliveries = fresh

        // What is owed once the new deliveries are recorded: a new one replaces an earlier one to the
        // same channel, as recording it in the store would.
        var owedDeliveries = Dictionary(stored.map { (Slot($0), $0) }, uniquingKeysWith: { first, _ in first })
        for delivery in fresh { owedDeliveries[Slot(delivery)] = delivery }
        let standingBySlot = Dictionary(standing.map { (Slot($0), $0) }, uniquingKeysWith: { first, _ in first })
        var owed: [String: [(delivery: Delivery, anomaly: Anomaly)]] = [:]
        for delivery in owedDeliveries.values.sorted(by: Slot.storeOrder) where delivery.isOutstanding {
            guard let anomaly = standingBySlot[Slot(delivery, channel: nil)] else { continue }
            let silence = Silence.silencing(anomaly, among: silences, on: anomaly.date)
            if closed.contains(anomaly.id) || silence != nil {
                var withdrawn = delivery
                withdrawn.status = .withdrawn
                withdrawn.lastError = nil
                deliveries.append(withdrawn)
                if let silence { notifications.append(.silenced(anomaly, by: silence, at: now)) }
            } else {
                owed[delivery.channel, default: []].append((delivery, anomaly))
            }
        }
        sends = channels.compactMap { channel in
            owed[channel.name].map { owed in
                Send(
                    channel: channel.name,
                    anomalies: owed.map(\.anomaly).sorted { ($0.explanation.impact ?? 0) > ($1.explanation.impact ?? 0) },
                    deliveries: owed.map(\.delivery))
            }
        }
    }

    /// What to record once the sends are done: each delivery sent, failed (tried again next run) or
    /// rejected (never retried), and each anomaly's state: sent when every channel took it.
    public func records(after outcomes: [String: Outcome]) -> (deliveries: [Delivery], notifications: [AnomalyNotification]) {
        var tried: [Delivery] = []
        for send in sends {
            guard let outcome = outcomes[send.channel] else { continue }
            for var delivery in send.deliveries {
                delivery.attempts += 1
                switch outcome {
                case .sent:
                    delivery.status = .sent
                    delivery.lastError = nil
                case .failed(let reason, let retryable):
                    delivery.status = retryable ? .failed : .rejected
                    delivery.lastError = reason
                }
                tried.append(delivery)
            }
        }
        return (tried, Self.summaries(tried, now: now))
    }

    /// Each anomaly's notification state from its deliveries of one round: sent when all went out,
    /// failed naming each channel that did not take it.
    public static func summaries(_ deliveries: [Delivery], now: Date) -> [AnomalyNotification] {
        let grouped = Dictionary(grouping: deliveries) { Slot($0, channel: nil) }
        return grouped.values.compactMap { group in
            guard let first = group.first else { return nil }
            let failures = group.filter { $0.status != .sent }.map { "\($0.channel): \($0.lastError ?? $0.status.rawValue)" }
            let state = failures.isEmpty
                ? NotificationState(status: .sent, at: now)
                : NotificationState(status: .failed, at: now, detail: failures.joined(separator: "; "))
            return AnomalyNotification(date: first.date, hour: first.hour, key: first.key, state: state)
        }
    }

    /// An anomaly's (date, hour, key), with a delivery's channel when it names one delivery.
    private struct Slot: Hashable {
        var date: CalendarDay
        var hour: Int
        var key: CostKey
        var channel: String?

        init(_ delivery: Delivery, channel: String?) {
            (date, hour, key, self.channel) = (delivery.date, delivery.hour, delivery.key, channel)
        }

        init(_ delivery: Delivery) {
            self.init(delivery, channel: delivery.channel)
        }

        init(_ anomaly: Anomaly) {
            (date, hour, key, channel) = (anomaly.date, anomaly.hour, anomaly.key, nil)
        }

        /// The order the stores list deliveries in: date, hour, key, channel.
        static func storeOrder(_ lhs: Delivery, _ rhs: Delivery) -> Bool {
            if lhs.date != rhs.date { return lhs.date < rhs.date }
            if lhs.hour != rhs.hour { return lhs.hour < rhs.hour }
            if lhs.key != rhs.key { return lhs.key < rhs.key }
            return lhs.channel < rhs.channel
        }
    }
}

extension AnomalyNotification {
    /// `anomaly`'s new state.
    public static func of(_ anomaly: Anomaly, _ status: NotificationState.Status, at now: Date, detail: String) -> Self {
        AnomalyNotification(date: anomaly.date, hour: anomaly.hour, key: anomaly.key, state: NotificationState(status: status, at: now, detail: detail))
    }

    /// `anomaly` held back by `silence`.
    public static func silenced(_ anomaly: Anomaly, by silence: Silence, at now: Date) -> Self {
        of(anomaly, .silenced, at: now, detail: "silence \(silence.id) until \(silence.until.compact): \(silence.reason)")
    }
}
