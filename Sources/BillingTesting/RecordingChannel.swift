import BillingCore
import BillingPipeline
import Synchronization

/// An alert channel that keeps what it is sent, and fails the first `failures` sends.
public final class RecordingChannel: AlertChannel {
    public let name: String
    private let state: Mutex<(messages: [AlertMessage], failuresLeft: Int)>

    public init(name: String = "recording", failures: Int = 0) {
        self.name = name
        self.state = Mutex(([], failures))
    }

    public func send(_ message: AlertMessage) async throws {
        try state.withLock { state in
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                throw RecordingChannelError()
            }
            state.messages.append(message)
        }
    }

    public var messages: [AlertMessage] {
        state.withLock { $0.messages }
    }

    /// Every anomaly sent, across messages.
    public var sentAnomalies: [BillingCore.Anomaly] {
        messages.flatMap { message -> [BillingCore.Anomaly] in
            if case .anomalies(let anomalies) = message { return anomalies }
            return []
        }
    }
}

public struct RecordingChannelError: Error, CustomStringConvertible {
    public var description: String { "the recording channel was told to fail" }
}
