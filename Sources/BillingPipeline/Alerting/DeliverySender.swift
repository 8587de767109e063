import BillingCore
import Foundation
import Logging

/// Sends what a `DeliveryPlan` owes: each channel its one message. A channel that fails is logged and
/// reported, never fatal to the run; whether the next run tries again depends on the failure.
struct DeliverySender {
    var alerter: Alerter
    var logger: Logger

    /// What the channels did with a plan's messages.
    struct Result {
        /// One per channel that had something to send.
        var outcomes: [ChannelOutcome] = []
        /// What to record of it, for the store's second commit.
        var changes: StoreChanges
    }

    func send(_ plan: DeliveryPlan) async -> Result {
        var outcomes: [ChannelOutcome] = []
        var taken: [String: DeliveryPlan.Outcome] = [:]
        for send in plan.sends {
            guard let channel = alerter.channels.first(where: { $0.name == send.channel }) else { continue }
            do {
                try await channel.send(.anomalies(send.anomalies))
                outcomes.append(ChannelOutcome(channel: channel.name, failure: nil))
                taken[channel.name] = .sent
            } catch {
                let retryable = (error as? any RetryableError)?.isRetryable ?? true
                let reason = String(describing: error)
                logger.warning("alert channel failed", metadata: ["channel": "\(channel.name)", "reason": "\(reason)", "retry": "\(retryable)"])
                outcomes.append(ChannelOutcome(channel: channel.name, failure: retryable ? reason : reason + " (not retried)"))
                taken[channel.name] = .failed(reason: reason, retryable: retryable)
            }
        }
        var changes = StoreChanges(now: plan.now)
        (changes.deliveries, changes.notifications) = plan.records(after: taken)
        return Result(outcomes: outcomes, changes: changes)
    }
}

extension Alerter {
    /// Each channel's name and route, in sending order: what a delivery plan needs of the channels.
    public var routedChannels: [(name: String, route: ChannelRoute)] {
        channels.map { ($0.name, route(for: $0.name)) }
    }
}

extension StoreChanges {
    /// Adds what `plan` records before its sends: deliveries owed or withdrawn, and anomalies held back.
    public mutating func record(_ plan: DeliveryPlan) {
        deliveries += plan.deliveries
        notifications += plan.notifications
    }

    /// The anomalies the store holds once these changes land, given `stored`, what it held before in
    /// the same days: the hours judged again hold exactly this run's anomalies, the rest stay.
    public func anomalies(standingAfter stored: [Anomaly]) -> [Anomaly] {
        let rejudged = Set(rejudged)
        let replaced = Set(anomalies.map { JudgedSlot(date: $0.date, hour: $0.hour, key: $0.key) })
        let kept = stored.filter {
            !rejudged.contains(JudgedHour(date: $0.date, hour: $0.hour))
                && !replaced.contains(JudgedSlot(date: $0.date, hour: $0.hour, key: $0.key))
        }
        return kept + anomalies
    }

    private struct JudgedSlot: Hashable {
        var date: CalendarDay
        var hour: Int
        var key: CostKey
    }
}
