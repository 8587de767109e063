import Foundation
import BillingCore
import Logging

/// The channels alerts go to, each with its route; a channel that fails is reported, never fatal to
/// the run.
public struct Alerter: Sendable {
    public var channels: [any AlertChannel]
    /// Each channel's route, by channel name; a channel without one gets every anomaly and no digest.
    public var routes: [String: ChannelRoute]

    public init(channels: [any AlertChannel], routes: [String: ChannelRoute] = [:]) {
        self.channels = channels
        self.routes = routes
    }

    public func route(for channel: String) -> ChannelRoute {
        routes[channel] ?? ChannelRoute()
    }

    /// Sends the digest to the channels whose route asks for it; one outcome per such channel.
    public func sendDigest(_ digest: DailyDigest, logger: Logger) async -> [ChannelOutcome] {
        await send(.digest(digest), to: channels.filter { route(for: $0.name).digest }, logger: logger)
    }

    /// Sends `message` to every channel; one outcome per channel, in channel order.
    public func send(_ message: AlertMessage, logger: Logger) async -> [ChannelOutcome] {
        await send(message, to: channels, logger: logger)
    }

    private func send(_ message: AlertMessage, to channels: [any AlertChannel], logger: Logger) async -> [ChannelOutcome] {
        var outcomes: [ChannelOutcome] = []
        for channel in channels {
            do {
                try await channel.send(message)
                outcomes.append(ChannelOutcome(channel: channel.name, failure: nil))
            } catch {
                let reason = String(describing: error)
                logger.warning(
                    "alert channel failed", metadata: ["channel": "\(channel.name)", "reason": "\(reason)"])
                outcomes.append(ChannelOutcome(channel: channel.name, failure: reason))
            }
        }
        return outcomes
    }
}

public struct ChannelOutcome: Sendable, Hashable {
    public var channel: String
    /// Why the channel failed; nil when it delivered.
    public var failure: String?

    public var delivered: Bool { failure == nil }
}
