import Foundation
import BillingCore
import Logging

/// Sends each message to every channel; a channel that fails is reported, never fatal to the run.
public struct Alerter: Sendable {
    public var channels: [any AlertChannel]

    public init(channels: [any AlertChannel]) {
        self.channels = channels
    }

    /// One outcome per channel, in channel order.
    public func send(_ message: AlertMessage, logger: Logger) async -> [ChannelOutcome] {
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

