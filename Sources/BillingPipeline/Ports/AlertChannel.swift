import BillingCore

/// A place alerts go: the console, syslog, Slack, and more.
public protocol AlertChannel: Sendable {
    /// A short name for reports, such as `slack`; never a URL.
    var name: String { get }

    func send(_ message: AlertMessage) async throws
}
