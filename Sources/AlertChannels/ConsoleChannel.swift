import BillingCore
import BillingPipeline

/// Prints one line per anomaly, and the digest's lines, the same lines syslog carries.
public struct ConsoleChannel: AlertChannel {
    public let name = ChannelName.console.rawValue
    let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.write = write
    }

    public func send(_ message: AlertMessage) async throws {
        for line in Self.lines(for: message) { write(line) }
    }

    static func lines(for message: AlertMessage) -> [String] {
        switch message {
        case .anomalies(let anomalies): return anomalies.map(AlertText.anomalyLine)
        case .digest(let digest): return DigestText.lines(digest)
        }
    }
}
