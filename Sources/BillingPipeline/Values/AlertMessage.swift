import BillingCore

public enum AlertMessage: Sendable, Hashable {
    /// New anomalies from one run, sorted by key.
    case anomalies([Anomaly])
    /// The daily job's digest of a finished day.
    case digest(DailyDigest)
}
