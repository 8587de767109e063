import BillingCore

/// A place alerts go: the console, syslog, Slack, and more.
public protocol AlertChannel: Sendable {
    /// A short name for reports, such as `slack`; never a URL.
    var name: String { get }

    func send(_ message: AlertMessage) async throws
}

public enum AlertMessage: Sendable, Hashable {
    /// New anomalies from one run, sorted by key.
    case anomalies([Anomaly])
    /// The daily job's digest of a finished day.
    case digest(DailyDigest)
}
